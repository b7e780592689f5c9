import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readUpload } from "@/lib/members/read-upload";
import { previewImport } from "@/lib/members/import-csv";
import { saveUpload } from "@/lib/members/import-files";
import { lastRecordEnd, readCsvRecords } from "@/lib/csv/read-file";

const MB = 1024 * 1024;
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "imports-"));
  process.env.IMPORT_DIR = dir;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A multipart body of `size` bytes of file content, sent chunked (no Content-Length), pulled lazily. */
function chunkedUpload(size: number) {
  const boundary = "----b0undary";
  const enc = new TextEncoder();
  const head = enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\norders\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\norderId\r\n`);
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  const line = enc.encode("A-123456789\r\n".repeat(80_000)); // ~1 MB
  let sent = 0;
  let phase = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (phase === 0) {
        c.enqueue(head);
        phase = 1;
      } else if (sent < size) {
        c.enqueue(line);
        sent += line.byteLength;
      } else if (phase === 1) {
        c.enqueue(tail);
        phase = 2;
      } else c.close();
    },
  });
  const request = new Request("http://localhost/api/members/imports/preview", { method: "POST", body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, duplex: "half" } as RequestInit);
  return { request, sentBytes: () => sent };
}

describe("upload limits", () => {
  it("refuses a chunked upload over 50 MB once 50 MB have arrived, whatever Content-Length says", async () => {
    const { request, sentBytes } = chunkedUpload(100 * MB);
    expect(request.headers.get("content-length")).toBeNull();
    const err = await readUpload(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("payload_too_large");
    // It stopped reading soon after the limit, not after the whole 100 MB.
    expect(sentBytes()).toBeLessThan(55 * MB);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("takes a chunked upload under the limit and keeps it on disk", async () => {
    const { request } = chunkedUpload(2 * MB);
    const up = await readUpload(request);
    expect(up.kind).toBe("orders");
    expect(fs.statSync(up.file).size).toBeGreaterThan(2 * MB);
    fs.unlinkSync(up.file);
  });
});

describe("readUpload", () => {
  const form = (parts: [string, string | Blob, string?][]) => {
    const f = new FormData();
    for (const [k, v, name] of parts) if (typeof v === "string") f.append(k, v);
    else f.append(k, v, name);
    return new Request("http://localhost/x", { method: "POST", body: f });
  };
  it("reads the fields wherever they are, and the file's name", async () => {
    const up = await readUpload(form([["file", new Blob(["a,b\r\n1,2\r\n"]), "会员.csv"], ["kind", "members"], ["mapping", '{"memberId":"a"}']]));
    expect({ ...up, file: undefined }).toEqual({ file: undefined, fileName: "会员.csv", kind: "members", mapping: { memberId: "a" } });
    expect(fs.readFileSync(up.file, "utf8")).toBe("a,b\r\n1,2\r\n");
    fs.unlinkSync(up.file);
  });
  it.each([
    [[["kind", "members"]], "choose a CSV file"],
    [[["file", new Blob(["a\r\n"]), "x.csv"], ["kind", "pets"]], "kind must be members or orders"],
    [[["file", new Blob(["a\r\n"]), "x.csv"], ["kind", "orders"], ["mapping", "{"]], "mapping is not JSON"],
  ] as [string, string | Blob, string?][][][])("refuses %#, leaving no file behind", async (parts, message) => {
    await expect(readUpload(form(parts as [string, string | Blob, string?][]))).rejects.toMatchObject({ code: "validation_failed", message });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  it("refuses a body that is not multipart", async () => {
    await expect(readUpload(new Request("http://localhost/x", { method: "POST", body: "a,b" }))).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("preview of a large file", () => {
  it("keeps the event loop turning (max delay under 250 ms for a 12 MB file)", async () => {
    const lines = ["订单号,会员编号,实付金额,支付时间"];
    for (let i = 0; i < 300_000; i++) lines.push(`ORDER-${i},M${i % 5000},${(i % 500) + 9}.90,2026-03-08 10:15`);
    const bytes = new TextEncoder().encode(lines.join("\r\n") + "\r\n");
    expect(bytes.byteLength).toBeGreaterThan(12 * MB);
    const file = await saveUpload(bytes);
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const preview = await previewImport(file, "orders");
    h.disable();
    expect(preview.total).toBe(300_000);
    expect(preview.preview[0]).toEqual({ 订单号: "ORDER-0", 会员编号: "M0", 实付金额: "9.90", 支付时间: "2026-03-08 10:15" });
    expect(h.max / 1e6).toBeLessThan(250);
  });
});

describe("readCsvRecords", () => {
  it("cuts pieces at whole records only: quoted line breaks and quotes survive a 256 KiB boundary", async () => {
    expect(lastRecordEnd('a,"x\ny"\r\nb,"1""\n2')).toBe(9);
    expect(lastRecordEnd('"open\n')).toBe(0);
    const filler = "z".repeat(256 * 1024 - 20);
    const text = `h1,h2\r\n${filler},1\r\n"two\r\nlines ""quoted""",2\r\n\r\nlast,3`;
    const file = await saveUpload(new TextEncoder().encode(text));
    const out: string[][] = [];
    for await (const r of readCsvRecords(file, "utf-8")) out.push(r);
    fs.unlinkSync(file);
    expect(out).toEqual([["h1", "h2"], [filler, "1"], ['two\r\nlines "quoted"', "2"], ["last", "3"]]);
  });
});

/**
 * `npm run bench -- import-file [--mb 50] [--seconds 60]`: a members CSV of ~50 MB through the
 * import path — the upload (multipart, streamed, chunked), the preview, the job's creation (a
 * counting pass) and the run (stopped after `--seconds`, as SIGTERM would, then resumed to the end
 * when `--seconds 0`) — on PostgreSQL (BENCH_DATABASE_URL, default …/bench_import, created when
 * missing). For each phase: wall time, the longest event-loop stall (perf_hooks) and the process's
 * RSS and JS heap (sampled every 20 ms). Targets: no stall over 250 ms, memory ≤ 300 MB.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { openDatabase } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { createMerchant, findMerchantBySlug } from "@/lib/tenancy/merchants";
import { createImportJob, getImportJobOrThrow, previewImport, startImport, stopImports } from "@/lib/members/import-csv";
import { readUpload } from "@/lib/members/read-upload";
import { ensureDatabase, flag, log } from "./common";

const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/bench_import";
const MB = 1024 * 1024;

/** Writes the file in a child process, so its garbage does not count in this process's peak RSS. */
function writeFile(file: string, bytes: number, tag: string): number {
  const code = `
    const fs = require("node:fs");
    const fd = fs.openSync(${JSON.stringify(file)}, "w");
    fs.writeSync(fd, "member_id,name,phone,registered_at\\r\\n");
    let size = 0, i = 0;
    const pad = (n, w) => String(n).padStart(w, "0");
    for (;;) {
      const lines = [];
      for (let k = 0; k < 1000; k++, i++) lines.push(${JSON.stringify(tag)} + pad(i, 8) + ",会员" + (i % 997) + ",13" + pad((i * 7919) % 1e9, 9) + ",2025-" + pad(1 + (i % 12), 2) + "-" + pad(1 + (i % 28), 2) + " 10:15");
      const chunk = Buffer.from(lines.join("\\r\\n") + "\\r\\n");
      if (size + chunk.length > ${bytes}) break;
      fs.writeSync(fd, chunk);
      size += chunk.length;
    }
    fs.closeSync(fd);
    console.log(i - 1000);`;
  const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

async function phase<T>(label: string, f: () => Promise<T>): Promise<T> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  const start = process.memoryUsage();
  let maxRss = start.rss;
  let maxHeap = start.heapUsed + start.external + start.arrayBuffers;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    maxRss = Math.max(maxRss, m.rss);
    maxHeap = Math.max(maxHeap, m.heapUsed + m.external + m.arrayBuffers);
  }, 20);
  const r = await f();
  clearInterval(sampler);
  h.disable();
  log(
    `${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s, longest event-loop stall ${(h.max / 1e6).toFixed(0)} ms (p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms); ` +
      `RSS ${(start.rss / MB).toFixed(0)} → peak ${(maxRss / MB).toFixed(0)} MB, JS heap + buffers peak ${(maxHeap / MB).toFixed(0)} MB`,
  );
  return r;
}

async function main() {
  const mb = flag("mb", 50);
  const seconds = flag("seconds", 60);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-import-"));
  process.env.IMPORT_DIR = dir;
  const source = path.join(dir, "source.csv");
  const tag = `I${Date.now().toString(36)}-`;
  const rows = writeFile(source, mb * MB - 4096, tag);
  log(`file: ${(fs.statSync(source).size / MB).toFixed(1)} MB, ${rows.toLocaleString()} rows; RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);

  await ensureDatabase(URL_);
  const database = await openDatabase({ url: URL_ });
  const db = database.db;
  const merchantId = (await findMerchantBySlug(db, "bench-import"))?.id ?? (await createMerchant(db, { slug: "bench-import", name: "Bench", demoProgram: true })).id;
  const actor: Actor = { kind: "user", userId: "bench", merchantId, role: "operator", email: "bench@local", name: "Bench" };

  const boundary = "----bench";
  const request = () => {
    const body = Readable.toWeb(
      Readable.from(
        (async function* () {
          yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmembers\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`);
          yield* fs.createReadStream(source);
          yield Buffer.from(`\r\n--${boundary}--\r\n`);
        })(),
      ),
    );
    return new Request("http://localhost/api/members/imports", { method: "POST", body: body as ReadableStream, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, duplex: "half" } as RequestInit);
  };

  const up1 = await phase("upload (chunked multipart → disk)", () => readUpload(request()));
  const preview = await phase("preview", () => previewImport(up1.file, "members"));
  log(`preview: ${preview.total.toLocaleString()} rows, mapping ${JSON.stringify(preview.mapping)}`);
  const { job } = await phase("create job (encoding + counting pass)", () => createImportJob(db, merchantId, { kind: "members", fileName: "big.csv", file: up1.file, mapping: preview.mapping }, actor));
  const run = startImport(db, merchantId, job.id, { lanes: Number(process.env.IMPORT_LANES ?? 2) });
  if (seconds > 0) {
    await phase(`run for ${seconds} s, then stop (as on SIGTERM)`, async () => {
      await new Promise((r) => setTimeout(r, seconds * 1000));
      const t = performance.now();
      await stopImports();
      log(`stopped ${((performance.now() - t) / 1000).toFixed(1)} s after the request (one batch boundary)`);
      return run;
    });
  } else await phase("run to the end", () => run);
  const j = await getImportJobOrThrow(db, merchantId, job.id);
  log(`job: ${j.status}, ${j.committedRows.toLocaleString()} of ${j.total.toLocaleString()} rows committed (applied ${j.applied}, duplicates ${j.duplicates}, rejected ${j.rejected})`);
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();

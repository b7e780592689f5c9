import fs from "node:fs";
import path from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/util/ids";

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/**
 * Where uploaded import files live until their job ends (so a restart can resume the job):
 * `IMPORT_DIR`, else `imports/` beside the embedded database's directory (`.data/imports`).
 */
export function importDir() {
  const pglite = path.resolve(process.env.PGLITE_DIR ?? path.join(process.cwd(), ".data", "pglite"));
  return path.resolve(process.env.IMPORT_DIR ?? path.join(path.dirname(pglite), "imports"));
}

export const importFilePath = (merchantId: string, jobId: string) => path.join(importDir(), `${safeName(merchantId)}-${safeName(jobId)}.csv`);
export const importReportPath = (merchantId: string, jobId: string) => path.join(importDir(), `${safeName(merchantId)}-${safeName(jobId)}.report.csv`);
const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");

/** A Transform that fails with payload_too_large once more than `limit` bytes went through it. */
export function byteLimit(limit: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) done(new AppError("payload_too_large", "the file is over 50 MB"));
      else done(null, chunk);
    },
  });
}

/** Writes a stream to a new file in the import directory, at most `limit` bytes; answers its path. */
export async function saveUpload(source: ReadableStream<Uint8Array> | Readable | Uint8Array, limit = MAX_IMPORT_BYTES): Promise<string> {
  fs.mkdirSync(importDir(), { recursive: true });
  const file = path.join(importDir(), `upload-${newId()}.csv`);
  const input = source instanceof Uint8Array ? Readable.from([Buffer.from(source)]) : source instanceof Readable ? source : Readable.fromWeb(source as import("node:stream/web").ReadableStream<Uint8Array>);
  try {
    await pipeline(input, byteLimit(limit), fs.createWriteStream(file, { mode: 0o600 }));
  } catch (e) {
    removeFile(file);
    throw e;
  }
  return file;
}

export function removeFile(file: string) {
  try {
    fs.unlinkSync(file);
  } catch {
    /* already gone */
  }
}

import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/lib/errors";
import { importKinds, type ImportKind } from "@/lib/schemas/members";
import { MAX_IMPORT_BYTES, removeFile, saveUpload } from "./import-files";

/** Room for the multipart framing and the small fields around the file. */
const FORM_OVERHEAD = 64 * 1024;

const tooLarge = () => new AppError("payload_too_large", "the file is over 50 MB");
const notMultipart = () => new AppError("validation_failed", "send the file as multipart/form-data", [{ path: "file", message: "no file" }]);

/**
 * Reads the multipart body of an import request as it arrives: the file goes straight to the
 * import directory (the caller owns the path and removes it), the kind and (when sent) the
 * mapping are read beside it. The byte limits count what actually arrives, so a chunked body
 * without Content-Length is held to them too, and reading stops as soon as one is passed.
 */
export async function readUpload(request: Request): Promise<{ file: string; fileName: string; kind: ImportKind; mapping: unknown }> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_IMPORT_BYTES + FORM_OVERHEAD) throw tooLarge();
  const contentType = request.headers.get("content-type") ?? "";
  if (!request.body || !/^multipart\/form-data/i.test(contentType)) throw notMultipart();
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": contentType }, defParamCharset: "utf8", limits: { files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 20 } });
  } catch {
    throw notMultipart();
  }
  let seen = 0;
  const source = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
  const fields: Record<string, string> = {};
  let fileName = "upload.csv";
  let saving: Promise<string> | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", reject);
    source.on("error", reject);
    source.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > MAX_IMPORT_BYTES + FORM_OVERHEAD) reject(tooLarge());
    });
    parser.on("field", (name, value) => (fields[name] = value));
    parser.on("file", (name, stream, info) => {
      if (name !== "file" || saving) return void stream.resume();
      fileName = info.filename || fileName;
      saving = saveUpload(stream);
      saving.catch(reject);
    });
  });
  source.pipe(parser);
  let file: string | undefined;
  try {
    await finished;
    file = await saving;
  } catch (e) {
    source.destroy();
    await saving?.then(removeFile, () => {});
    throw e instanceof AppError ? e : notMultipart();
  }
  try {
    if (!file) throw new AppError("validation_failed", "choose a CSV file", [{ path: "file", message: "no file" }]);
    const kind = fields.kind ?? "";
    if (!(importKinds as readonly string[]).includes(kind)) throw new AppError("validation_failed", "kind must be members or orders", [{ path: "kind", message: "members or orders" }]);
    let mapping: unknown = undefined;
    if (fields.mapping !== undefined) {
      try {
        mapping = JSON.parse(fields.mapping);
      } catch {
        throw new AppError("validation_failed", "mapping is not JSON", [{ path: "mapping", message: "not JSON" }]);
      }
    }
    return { file, fileName, kind: kind as ImportKind, mapping };
  } catch (e) {
    if (file) removeFile(file);
    throw e;
  }
}

/** Runs `work` on an upload's file and removes the file afterwards unless `work` took it over. */
export async function withUploadFile<T>(file: string, work: (file: string) => Promise<T>): Promise<T> {
  try {
    return await work(file);
  } finally {
    removeFile(file);
  }
}

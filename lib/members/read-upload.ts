import { AppError } from "@/lib/errors";
import { importKinds, type ImportKind } from "@/lib/schemas/members";
import { MAX_IMPORT_BYTES, removeFile, saveUpload } from "./import-files";

/** Room for the multipart framing and the small fields around the file. */
const FORM_OVERHEAD = 64 * 1024;

/**
 * Reads the multipart body of an import request: the file (written to the import directory; the
 * caller owns the path and removes it), its kind, and (when sent) the mapping. The byte limit
 * counts what actually arrives, so a chunked body without Content-Length is held to it too.
 */
export async function readUpload(request: Request): Promise<{ file: string; fileName: string; kind: ImportKind; mapping: unknown }> {
  const tooLarge = () => new AppError("payload_too_large", "the file is over 50 MB");
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_IMPORT_BYTES + FORM_OVERHEAD) throw tooLarge();
  let seen = 0;
  let over = false;
  const limited = request.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MAX_IMPORT_BYTES + FORM_OVERHEAD) {
          over = true;
          controller.error(tooLarge());
        } else controller.enqueue(chunk);
      },
    }),
  );
  let form: FormData;
  try {
    form = await new Response(limited ?? null, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    if (over) throw tooLarge();
    throw new AppError("validation_failed", "send the file as multipart/form-data", [{ path: "file", message: "no file" }]);
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new AppError("validation_failed", "choose a CSV file", [{ path: "file", message: "no file" }]);
  const kind = String(form.get("kind") ?? "");
  if (!(importKinds as readonly string[]).includes(kind)) throw new AppError("validation_failed", "kind must be members or orders", [{ path: "kind", message: "members or orders" }]);
  let mapping: unknown = undefined;
  const rawMapping = form.get("mapping");
  if (typeof rawMapping === "string") {
    try {
      mapping = JSON.parse(rawMapping);
    } catch {
      throw new AppError("validation_failed", "mapping is not JSON", [{ path: "mapping", message: "not JSON" }]);
    }
  }
  const path = await saveUpload(file.stream());
  return { file: path, fileName: file.name || "upload.csv", kind: kind as ImportKind, mapping };
}

/** Runs `work` on an upload's file and removes the file afterwards unless `work` took it over. */
export async function withUploadFile<T>(file: string, work: (file: string) => Promise<T>): Promise<T> {
  try {
    return await work(file);
  } finally {
    removeFile(file);
  }
}

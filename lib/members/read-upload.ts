import { AppError } from "@/lib/errors";
import { importKinds, type ImportKind } from "@/lib/schemas/members";
import { MAX_IMPORT_BYTES } from "./import-csv";

/** Reads the multipart body of an import request: the file, its kind, and (when sent) the mapping. */
export async function readUpload(request: Request): Promise<{ bytes: Uint8Array; fileName: string; kind: ImportKind; mapping: unknown }> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_IMPORT_BYTES + 64 * 1024) throw new AppError("payload_too_large", "the file is over 50 MB");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
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
  return { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || "upload.csv", kind: kind as ImportKind, mapping };
}

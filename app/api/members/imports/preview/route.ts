// POST /api/members/imports/preview — multipart { file, kind }: the file's encoding, columns, first rows and a suggested mapping.
import { withMerchant } from "@/lib/api/handler";
import { previewImport } from "@/lib/members/import-csv";
import { readUpload, withUploadFile } from "@/lib/members/read-upload";

export const POST = withMerchant("members.write", async ({ request }) => {
  const { file, kind } = await readUpload(request);
  return withUploadFile(file, (f) => previewImport(f, kind));
});

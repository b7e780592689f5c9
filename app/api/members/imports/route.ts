// POST /api/members/imports — multipart { file, kind, mapping }: queues an import as a background job and answers its record.
import { withMerchant } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { createImportJob, importJobView } from "@/lib/members/import-csv";
import { readUpload, withUploadFile } from "@/lib/members/read-upload";
import { importStartInput } from "@/lib/schemas/members";
import { backgroundRunner } from "@/lib/jobs/background";

export const POST = withMerchant("members.write", async ({ request, db, merchantId, actor }) => {
  const { file, fileName, kind, mapping } = await readUpload(request);
  const { job } = await withUploadFile(file, async (f) => {
    const parsed = importStartInput.safeParse({ kind, mapping });
    if (!parsed.success) throw validationError(parsed.error);
    // The import takes the file over (moves it), so removing the upload's path afterwards is a no-op.
    return createImportJob(db, merchantId, { kind, fileName, file: f, mapping: parsed.data.mapping }, actor);
  });
  // The job runner runs it (resuming after a restart; stopping after a chunk on SIGTERM); the page polls the record for progress.
  backgroundRunner()?.wake();
  return Response.json(importJobView(job), { status: 202 });
});

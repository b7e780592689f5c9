// POST /api/members/imports — multipart { file, kind, mapping }: starts an import in the background and answers its job.
import { after } from "next/server";
import { withMerchant } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { createImportJob, importJobView } from "@/lib/members/import-csv";
import { readUpload, withUploadFile } from "@/lib/members/read-upload";
import { importStartInput } from "@/lib/schemas/members";

export const POST = withMerchant("members.write", async ({ request, db, merchantId, actor }) => {
  const { file, fileName, kind, mapping } = await readUpload(request);
  const { job, run } = await withUploadFile(file, async (f) => {
    const parsed = importStartInput.safeParse({ kind, mapping });
    if (!parsed.success) throw validationError(parsed.error);
    // The job takes the file over (moves it), so removing the upload's path afterwards is a no-op.
    return createImportJob(db, merchantId, { kind, fileName, file: f, mapping: parsed.data.mapping }, actor);
  });
  // Runs after the answer; the page polls the job for progress. The run records its own failure, and
  // stops at a batch boundary on SIGTERM (Next waits for `after` work before it exits).
  after(run);
  return Response.json(importJobView(job), { status: 202 });
});

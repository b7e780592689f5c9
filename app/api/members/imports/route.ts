// POST /api/members/imports — multipart { file, kind, mapping }: starts an import in the background and answers its job.
import { after } from "next/server";
import { withMerchant } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { createImportJob, importJobView } from "@/lib/members/import-csv";
import { readUpload } from "@/lib/members/read-upload";
import { importStartInput } from "@/lib/schemas/members";

export const POST = withMerchant("members.write", async ({ request, db, merchantId, actor }) => {
  const { bytes, fileName, kind, mapping } = await readUpload(request);
  const parsed = importStartInput.safeParse({ kind, mapping });
  if (!parsed.success) throw validationError(parsed.error);
  const { job, run } = await createImportJob(db, merchantId, { kind, fileName, bytes, mapping: parsed.data.mapping }, actor);
  // Runs after the answer; the page polls the job for progress. runImportJob records its own failure.
  after(run);
  return Response.json(importJobView(job), { status: 202 });
});

// GET /api/members/imports/{id}/report — the rejected rows with their reasons, as CSV.
import { withMerchant } from "@/lib/api/handler";
import { getImportJobOrThrow } from "@/lib/members/import-csv";

export const GET = withMerchant<{ id: string }>("members.read", async ({ db, merchantId, params }) => {
  const job = await getImportJobOrThrow(db, merchantId, params.id);
  return new Response("\uFEFF" + (job.report ?? "row,reason\r\n"), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="import-${job.id.slice(0, 8)}-rejected.csv"`, "cache-control": "no-store" },
  });
});

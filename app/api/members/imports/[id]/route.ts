// GET /api/members/imports/{id} — an import's progress and counts.
import { withMerchant } from "@/lib/api/handler";
import { getImportJobOrThrow, importJobView } from "@/lib/members/import-csv";

export const GET = withMerchant<{ id: string }>("members.read", async ({ db, merchantId, params }) => importJobView(await getImportJobOrThrow(db, merchantId, params.id)));

// GET /api/members/export?<list filter> — the filtered members list as CSV, streamed page by page.
import { withMerchant } from "@/lib/api/handler";
import { seesFullPhone } from "@/lib/auth/actor";
import { exportMembersCsv } from "@/lib/members/export-members";
import { parseMemberListQueryOrThrow } from "@/lib/schemas/members";

export const GET = withMerchant("members.read", async ({ request, db, merchantId, actor }) => {
  const filter = parseMemberListQueryOrThrow(Object.fromEntries(new URL(request.url).searchParams));
  const stream = exportMembersCsv(db, merchantId, filter, { fullPhone: seesFullPhone(actor) });
  return new Response(stream, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="members-${new Date().toISOString().slice(0, 10)}.csv"`, "cache-control": "no-store" },
  });
});

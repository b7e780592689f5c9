// GET /api/members/imports/{id}/report — the rejected rows with their reasons, as CSV.
import { withMerchant } from "@/lib/api/handler";
import { getImportJobOrThrow } from "@/lib/members/import-csv";
import { localizeReport } from "@/lib/members/report-text";
import { LOCALE_COOKIE, defaultLocale, isLocale } from "@/i18n/config";

/** The operator's UI language (the console's cookie), else zh-CN as the console's default. */
function localeOf(request: Request) {
  const cookie = request.headers.get("cookie") ?? "";
  const value = cookie.split(";").map((c) => c.trim().split("=")).find(([k]) => k === LOCALE_COOKIE)?.[1];
  return isLocale(value) ? value : defaultLocale;
}

export const GET = withMerchant<{ id: string }>("members.read", async ({ request, db, merchantId, params }) => {
  const job = await getImportJobOrThrow(db, merchantId, params.id);
  return new Response("\uFEFF" + localizeReport(job.report ?? "row,reason\r\n", localeOf(request)), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="import-${job.id.slice(0, 8)}-rejected.csv"`, "cache-control": "no-store" },
  });
});

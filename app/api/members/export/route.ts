// GET /api/members/export?<list filter>[&format=xlsx] — the filtered members list as CSV (or .xlsx),
// streamed page by page, in the reader's language, named after the merchant's business date.
import { withMerchant } from "@/lib/api/handler";
import { seesFullPhone } from "@/lib/auth/actor";
import { exportMembers } from "@/lib/members/export-members";
import { attachment, contentType, exportFormat } from "@/lib/export/table";
import { currentProgram } from "@/lib/program/store";
import { parseMemberListQueryOrThrow } from "@/lib/schemas/members";
import { businessDate } from "@/lib/util/dates";
import { requestLocale } from "@/i18n/request-locale";

export const GET = withMerchant("members.read", async ({ request, db, merchantId, actor }) => {
  const params = new URL(request.url).searchParams;
  const format = exportFormat(params);
  params.delete("format");
  const filter = parseMemberListQueryOrThrow(Object.fromEntries(params));
  const locale = requestLocale(request);
  const today = businessDate(new Date(), (await currentProgram(db, merchantId)).timeZone);
  const stream = exportMembers(db, merchantId, filter, { fullPhone: seesFullPhone(actor), locale, format });
  return new Response(stream, {
    headers: { "content-type": contentType[format], "content-disposition": attachment({ "zh-CN": "会员", en: "members" }, today, format, locale), "cache-control": "no-store" },
  });
});

// GET /api/mall/orders/export?<orders filter>[&format=xlsx] — the filtered points-mall orders as CSV
// (or .xlsx) in the reader's language, named after the merchant's business date.
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { attachment, contentType, exportFormat } from "@/lib/export/table";
import { exportOrders } from "@/lib/mall/export-orders";
import { currentProgram } from "@/lib/program/store";
import { mallOrderListQuery } from "@/lib/schemas/mall";
import { businessDate } from "@/lib/util/dates";
import { requestLocale } from "@/i18n/request-locale";

export const GET = withMerchant("members.read", async ({ request, db, merchantId }) => {
  const params = new URL(request.url).searchParams;
  const format = exportFormat(params);
  params.delete("format");
  const filter = mallOrderListQuery.parse(Object.fromEntries(params));
  const locale = requestLocale(request);
  const { timeZone } = await currentProgram(db, merchantId);
  return new Response(await exportOrders(db, merchantId, filter, { locale, format, timeZone }), {
    headers: { "content-type": contentType[format], "content-disposition": attachment({ "zh-CN": "兑换订单", en: "mall-orders" }, businessDate(new Date(), timeZone), format, locale), "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");

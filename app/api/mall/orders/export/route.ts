// GET /api/mall/orders/export?<orders filter> — the filtered points-mall orders as CSV.
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { ordersCsv } from "@/lib/mall/list-orders";
import { mallOrderListQuery } from "@/lib/schemas/mall";

export const GET = withMerchant("members.read", async ({ request, db, merchantId }) => {
  const filter = mallOrderListQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return new Response(await ordersCsv(db, merchantId, filter), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="mall-orders-${new Date().toISOString().slice(0, 10)}.csv"`, "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");

// POST /api/v1/mall-orders/{id}/cancel — points back to their lots, stock back, unused rights voided (idempotent).
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { cancelOrder } from "@/lib/mall/orders";

export const POST = withMerchant<{ orderId: string }>("members.write", async ({ db, merchantId, actor, params }) => cancelOrder(db, merchantId, decodeURIComponent(params.orderId), { actor }));

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

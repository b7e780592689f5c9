// POST /api/v1/members/{memberId}/mall-orders — orders a points-mall item (the shop has collected the cash part); `id` is the idempotency key.
import { withMerchant, readJson, jsonResponse, methodsNotAllowed } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { mallOrderInput } from "@/lib/schemas/mall";
import { placeOrder } from "@/lib/mall/orders";

export const POST = withMerchant<{ memberId: string }>("members.write", async ({ request, db, merchantId, actor, params }) => {
  const parsed = mallOrderInput.safeParse(await readJson(request));
  if (!parsed.success) throw validationError(parsed.error);
  const { order, created } = await placeOrder(db, merchantId, decodeURIComponent(params.memberId), parsed.data, { actor });
  return jsonResponse(order, { status: created ? 201 : 200 });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

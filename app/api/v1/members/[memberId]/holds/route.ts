// POST /api/v1/members/{memberId}/holds — holds points, coupons and stored value for an order; `id` is the idempotency key.
import { withMerchant, readJson, jsonResponse, methodsNotAllowed } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { holdInput } from "@/lib/schemas/checkout";
import { createHold } from "@/lib/checkout/holds";

export const POST = withMerchant<{ memberId: string }>("members.write", async ({ request, db, merchantId, params }) => {
  const parsed = holdInput.safeParse(await readJson(request));
  if (!parsed.success) throw validationError(parsed.error);
  const { hold, created } = await createHold(db, merchantId, decodeURIComponent(params.memberId), parsed.data);
  return jsonResponse(hold, { status: created ? 201 : 200 });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

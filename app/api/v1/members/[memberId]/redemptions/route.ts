// POST /api/v1/members/{memberId}/redemptions — spends points oldest first; `id` is the idempotency key.
import { withMerchant, readJson, jsonResponse, methodsNotAllowed } from "@/lib/api/handler";
import { memberIdParamOrThrow } from "@/lib/schemas/members";
import { validationError } from "@/lib/errors";
import { redemptionInput } from "@/lib/schemas/events";
import { redeemPoints } from "@/lib/members/points-ops";

export const POST = withMerchant<{ memberId: string }>("members.write", async ({ request, db, merchantId, params }) => {
  const parsed = redemptionInput.safeParse(await readJson(request));
  if (!parsed.success) throw validationError(parsed.error);
  const r = await redeemPoints(db, merchantId, memberIdParamOrThrow(params.memberId), parsed.data);
  return jsonResponse({ id: r.id, points: r.points, balance: r.balance }, { status: r.duplicate ? 200 : 201 });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

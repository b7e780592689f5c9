// GET /api/v1/members/{memberId}/checkout?amount= — what the member may use on an order of `amount` fen.
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { checkoutQuery } from "@/lib/schemas/checkout";
import { checkoutQuote } from "@/lib/checkout/holds";

export const GET = withMerchant<{ memberId: string }>("members.read", async ({ request, db, merchantId, params }) => {
  const parsed = checkoutQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return checkoutQuote(db, merchantId, decodeURIComponent(params.memberId), parsed.data.amount);
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");

// GET /api/v1/members/{memberId} — the member's tier, growth, points, spend, lifecycle and RFM.
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { memberIdParamOrThrow } from "@/lib/schemas/members";
import { memberView } from "@/lib/members/read-member";
import { requestLocale } from "@/i18n/request-locale";

export const GET = withMerchant<{ memberId: string }>("members.read", ({ request, db, merchantId, params }) =>
  memberView(db, merchantId, memberIdParamOrThrow(params.memberId), new Date(), requestLocale(request)),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");

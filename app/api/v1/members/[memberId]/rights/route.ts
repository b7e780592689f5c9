// GET /api/v1/members/{memberId}/rights — the right instances the member holds or held.
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { memberIdParamOrThrow } from "@/lib/schemas/members";
import { memberRights } from "@/lib/members/read-member";

export const GET = withMerchant<{ memberId: string }>("members.read", ({ db, merchantId, params }) =>
  memberRights(db, merchantId, memberIdParamOrThrow(params.memberId)),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");

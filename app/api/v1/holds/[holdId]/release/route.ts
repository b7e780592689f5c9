// POST /api/v1/holds/{holdId}/release — gives back what the hold set aside (idempotent).
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { releaseHold } from "@/lib/checkout/holds";

export const POST = withMerchant<{ holdId: string }>("members.write", async ({ db, merchantId, params }) => releaseHold(db, merchantId, decodeURIComponent(params.holdId)));

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

// POST /api/v1/holds/{holdId}/confirm — spends what the hold set aside (idempotent).
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { confirmHold } from "@/lib/checkout/holds";

export const POST = withMerchant<{ holdId: string }>("members.write", async ({ db, merchantId, params }) => confirmHold(db, merchantId, decodeURIComponent(params.holdId)));

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

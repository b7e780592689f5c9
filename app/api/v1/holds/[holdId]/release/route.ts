// POST /api/v1/holds/{holdId}/release — gives back what the hold set aside (idempotent).
import { withMerchant } from "@/lib/api/handler";
import { releaseHold } from "@/lib/checkout/holds";

export const POST = withMerchant<{ holdId: string }>("members.write", async ({ db, merchantId, params }) => releaseHold(db, merchantId, decodeURIComponent(params.holdId)));

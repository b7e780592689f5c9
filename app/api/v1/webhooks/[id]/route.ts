// DELETE /api/v1/webhooks/{id} — removes an endpoint: nothing more is sent to it; its delivery log is kept.
import { withMerchant } from "@/lib/api/handler";
import { deleteWebhookEndpoint } from "@/lib/webhooks/endpoints";

export const DELETE = withMerchant<{ id: string }>("webhooks.manage", async ({ db, merchantId, actor, params }) =>
  deleteWebhookEndpoint(db, merchantId, decodeURIComponent(params.id), actor),
);

// POST /api/v1/webhooks { url, types, description? } — registers an endpoint; 201 with its secret (shown only here).
// GET /api/v1/webhooks — the merchant's endpoints (never their secrets). Owners' sessions and API keys only.
import { withMerchant, readJson, jsonResponse } from "@/lib/api/handler";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { webhookCreatedOut, webhookListOut } from "@/lib/schemas/webhooks";

export const POST = withMerchant("webhooks.manage", async ({ request, db, merchantId, actor }) => {
  const created = await createWebhookEndpoint(db, merchantId, await readJson(request), actor);
  return jsonResponse(webhookCreatedOut.parse(created), { status: 201 });
});

export const GET = withMerchant("webhooks.manage", async ({ db, merchantId }) => webhookListOut.parse({ endpoints: await listWebhookEndpoints(db, merchantId) }));

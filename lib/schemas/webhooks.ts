import { z } from "zod";
import { safeText } from "./text";

/** The event types of api.md a webhook endpoint may subscribe to. */
export const webhookEventTypes = [
  "member.registered",
  "member.tier_changed",
  "points.earned",
  "points.spent",
  "points.expired",
  "points.expiring",
  "right.issued",
  "right.redeemed",
  "message.queued",
  "hold.expired",
  "membership.started",
  "membership.ended",
  "wallet.changed",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** POST /api/v1/webhooks, Settings → webhooks, `cli webhooks add`. */
export const webhookInput = z.object({
  url: z
    .string()
    .trim()
    .max(2000)
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
  types: z.array(z.enum(webhookEventTypes)).min(1, "choose at least one event type").max(webhookEventTypes.length),
  description: safeText().trim().max(200).optional(),
});
export type WebhookInput = z.input<typeof webhookInput>;

export const webhookEndpointOut = z.object({
  id: z.string(),
  url: z.string(),
  types: z.array(z.string()),
  description: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
  disabledReason: z.string().nullable().describe("Set when the app disabled the endpoint because every delivery failed for 5 days"),
});

/** The answer to POST: the only time the secret is shown. */
export const webhookCreatedOut = z.object({ id: z.string(), url: z.string(), types: z.array(z.string()), secret: z.string().describe("whsec_…; shown only here") });
export const webhookListOut = z.object({ endpoints: z.array(webhookEndpointOut) });

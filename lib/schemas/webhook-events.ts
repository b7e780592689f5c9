import { z } from "zod";
import type { WebhookEventType } from "./webhooks";

/**
 * The `data` of each webhook event type (docs/webhooks.md): the contract of what a shop receives,
 * published in the OpenAPI document's `webhooks` and checked against what the app emits in tests.
 * Amounts are integers (points; money in fen); instants are ISO 8601 in UTC; business dates are
 * `YYYY-MM-DD` in the program's time zone.
 */
const instant = z.string().describe("ISO 8601 instant, UTC");
const day = z.string().describe("business date YYYY-MM-DD, the program's time zone");
const memberId = z.string();

const pointsRow = z.strictObject({
  memberId,
  points: z.number().int().positive().describe("How many points the change is worth (what the balance and the debt moved together)"),
  delta: z.number().int().describe("The change of the points balance"),
  debtDelta: z.number().int().describe("The change of the member's points debt (a refund that took back points already spent)"),
  kind: z.enum(["earn", "bonus", "spend", "clawback", "adjust"]).describe("earn: a rule; bonus: a campaign or automation; spend: a redemption, checkout or mall order (or its return); clawback: a refund; adjust: an operator"),
  rule: z.string().nullable(),
  source: z.string().describe("The points ledger row's source (unique per merchant)"),
  reason: z.string(),
  occurredAt: instant,
  businessDate: day,
  balance: z.number().int().describe("The member's points balance right after the change"),
});

const right = { memberId, grantId: z.string().describe("The right instance's id"), rightCode: z.string(), code: z.string().nullable().describe("The redemption code (核销码)") };

export const webhookEventData = {
  "member.registered": z.strictObject({ memberId, tierCode: z.string(), referrerId: z.string().nullable(), registeredAt: instant, trialUntil: instant.nullable() }),
  "member.tier_changed": z.strictObject({
    memberId,
    fromTier: z.string().nullable(),
    toTier: z.string(),
    direction: z.enum(["up", "down", "manual", "trial"]),
    reason: z.string(),
    changedAt: instant,
    businessDate: day,
  }),
  "points.earned": pointsRow.describe("A points ledger row that added to the balance (or paid off a debt)"),
  "points.spent": pointsRow.describe("A points ledger row that took from the balance (or added to a debt)"),
  "points.expired": z.strictObject({ memberId, points: z.number().int().positive(), balance: z.number().int(), businessDate: day, expiredAt: instant }),
  "points.expiring": z.strictObject({
    memberId,
    points: z.number().int().positive().describe("Points of the member's lots that expire at the end of lastDay"),
    expiresAt: instant,
    lastDay: day.describe("The last business day the points can be used"),
    days: z.number().int().describe("Days from businessDate to lastDay (30)"),
    balance: z.number().int(),
    businessDate: day,
  }),
  "right.issued": z.strictObject({
    ...right,
    tierCode: z.string().nullable(),
    value: z.string().nullable(),
    unitCost: z.number().int().describe("fen"),
    source: z.string(),
    issuedAt: instant,
    expiresAt: instant.nullable(),
  }),
  "right.redeemed": z.strictObject({ ...right, redeemedAt: instant, via: z.enum(["event", "checkout"]), holdId: z.string().nullable() }),
  "message.queued": z.strictObject({ id: z.string(), memberId, template: z.string(), payload: z.record(z.string(), z.unknown()), createdAt: instant }),
  "hold.expired": z.strictObject({
    memberId,
    holdId: z.string(),
    orderId: z.string(),
    points: z.number().int(),
    wallet: z.number().int().describe("fen"),
    grantIds: z.array(z.string()),
    expiresAt: instant,
  }),
  "membership.started": z.looseObject({ memberId }).describe("Emitted by paid memberships (b.emit); its fields are theirs"),
  "membership.ended": z.looseObject({ memberId }).describe("Emitted by paid memberships (b.emit); its fields are theirs"),
  "wallet.changed": z.strictObject({
    memberId,
    change: z.enum(["top_up", "top_up_refund", "spend", "refund"]).describe("The wallet ledger row's type"),
    source: z.string(),
    principal: z.number().int().describe("fen, signed"),
    bonus: z.number().int().describe("fen, signed"),
    amount: z.number().int().describe("principal + bonus"),
    principalAfter: z.number().int(),
    bonusAfter: z.number().int(),
    balance: z.number().int().describe("principalAfter + bonusAfter"),
    at: instant,
    businessDate: day,
  }),
} satisfies Record<WebhookEventType, z.ZodType>;

/** What each type reports, in a line (the OpenAPI document, docs/webhooks.md). */
export const webhookEventSummaries: Record<WebhookEventType, string> = {
  "member.registered": "A member registered (a member.registered event was applied)",
  "member.tier_changed": "A member's tier changed: an upgrade at an event, a downgrade or ended trial in the period job, or an operator's change",
  "points.earned": "Points added: an order, check-in, review, share, referral, profile, campaign or automation bonus, a positive adjustment, or spent points given back",
  "points.spent": "Points taken: a redemption, checkout, mall order, refund clawback or negative adjustment",
  "points.expired": "Points expired by the period job (one per member and day)",
  "points.expiring": "Points that expire in 30 days (one per member and expiry day, from the period job)",
  "right.issued": "A right instance (coupon, gift, service) was issued: by tier, month, birthday, campaign, automation, mall order or by hand",
  "right.redeemed": "A right instance was used: a right.redeemed event or a confirmed checkout",
  "message.queued": "An automation queued a message (the outbox)",
  "hold.expired": "A checkout hold lapsed without being confirmed or released",
  "membership.started": "A paid membership started",
  "membership.ended": "A paid membership ended",
  "wallet.changed": "The stored value changed: a top-up, its refund, a checkout spend or a refund's return",
};

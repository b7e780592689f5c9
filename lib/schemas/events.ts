import { z } from "zod";
import { checkFreeJson, MAX_EVENT_DEPTH } from "./json";
import { safeText } from "./text";

/** The largest order (or refund) amount: ¥10,000,000 in fen. */
export const MAX_ORDER_FEN = 1_000_000_000;
/** The most points, and the most growth, one event may earn (the engine rejects an event over it). */
export const MAX_POINTS_PER_EVENT = 100_000_000;
export const MAX_GROWTH_PER_EVENT = 100_000_000;
/** The most points one redemption may spend. */
export const MAX_REDEMPTION_POINTS = 100_000_000;
/** The earliest instant an event may carry; the latest is one day after now. */
export const EARLIEST_EVENT = "2000-01-01T00:00:00Z";
const DAY_MS = 86_400_000;

const id = safeText().trim().min(1).max(128);
const fenPositive = z
  .number()
  .int("must be a whole number of fen")
  .positive("must be greater than 0")
  .max(MAX_ORDER_FEN, `must be at most ${MAX_ORDER_FEN} fen (¥10,000,000)`);
const occurredAt = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-03-08T10:15:00+08:00" })
  .refine((s) => Date.parse(s) >= Date.parse(EARLIEST_EVENT), "must not be before 2000-01-01")
  .refine((s) => Date.parse(s) <= Date.now() + DAY_MS, "must not be more than one day in the future");
/** A birthday: a real date, not before 1900, not after today (in the time zone where it is latest, UTC+14). */
const birthday = z.iso
  .date("must be a date YYYY-MM-DD")
  .refine((s) => s >= "1900-01-01", "must not be before 1900-01-01")
  .refine((s) => s <= new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10), "must be in the past");
/** Free-form `data`: any JSON object, with no unsafe text and not nested deeper than an event may be. */
const freeData = z
  .object({})
  .passthrough()
  .superRefine((d, ctx) => checkFreeJson(d, ctx, MAX_EVENT_DEPTH - 1))
  .default({});
const base = { id, occurredAt, memberId: id };
const empty = z.object({}).strict();

export const eventTypes = [
  "member.registered",
  "order.paid",
  "order.refunded",
  "member.checked_in",
  "review.posted",
  "content.shared",
  "profile.completed",
  "referral.completed",
  "right.redeemed",
  "wallet.topped_up",
  "wallet.top_up_refunded",
  "membership.purchased",
  "membership.refunded",
] as const;
export type EventType = (typeof eventTypes)[number];

export const eventInput = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal("member.registered"),
    data: z
      .object({
        name: safeText().trim().max(60).optional(),
        phone: z.string().regex(/^\+?[0-9 -]{5,20}$/, "digits, optionally with + - or spaces").optional(),
        birthday: birthday.optional(),
        referrerId: id.optional(),
      })
      .default({}),
  }),
  z.object({
    ...base,
    memberId: id.nullable(),
    type: z.literal("order.paid"),
    data: z
      .object({
        orderId: id,
        amount: fenPositive,
        memberDiscount: z.number().int().nonnegative().optional(),
        items: z
          .array(z.unknown())
          .max(500)
          .superRefine((items, ctx) => checkFreeJson(items, ctx, MAX_EVENT_DEPTH - 2))
          .optional(),
      })
      .refine((d) => d.memberDiscount === undefined || d.memberDiscount <= d.amount, { path: ["memberDiscount"], message: "must not be more than amount" }),
  }),
  z.object({
    ...base,
    memberId: id.nullable(),
    type: z.literal("order.refunded"),
    data: z.object({ orderId: id, amount: fenPositive }),
  }),
  z.object({ ...base, type: z.literal("member.checked_in"), data: empty.default({}) }),
  z.object({ ...base, type: z.literal("review.posted"), data: freeData }),
  z.object({ ...base, type: z.literal("content.shared"), data: freeData }),
  z.object({ ...base, type: z.literal("profile.completed"), data: freeData }),
  z.object({ ...base, type: z.literal("referral.completed"), data: z.object({ refereeId: id }) }),
  z.object({
    ...base,
    type: z.literal("right.redeemed"),
    // The instance by its grant id, or by the redemption code (核销码) a cashier scans: exactly one.
    data: z
      .object({ grantId: id.optional(), code: id.optional() })
      .refine((d) => (d.grantId === undefined) !== (d.code === undefined), { message: "give exactly one of grantId or code" }),
  }),
  // Stored value (储值): a top-up adds principal and the bonus of the rule in force at occurredAt.
  z.object({ ...base, type: z.literal("wallet.topped_up"), data: z.object({ topUpId: id, amount: fenPositive }) }),
  // At most what of that top-up's principal is unspent; the bonus goes back pro rata.
  z.object({ ...base, type: z.literal("wallet.top_up_refunded"), data: z.object({ topUpId: id, amount: fenPositive }) }),
  // Paid membership (付费会员卡) bought with money: not an order (no points, spend or growth).
  z.object({
    ...base,
    type: z.literal("membership.purchased"),
    data: z.object({
      purchaseId: id,
      plan: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, "a plan code of the program"),
      amount: z.number().int("must be a whole number of fen").nonnegative("must not be negative").max(MAX_ORDER_FEN, `must be at most ${MAX_ORDER_FEN} fen (¥10,000,000)`),
    }),
  }),
  // Removes that purchase's months from the card and voids its unused rights.
  z.object({ ...base, type: z.literal("membership.refunded"), data: z.object({ purchaseId: id }) }),
]);
export type EventInput = z.infer<typeof eventInput>;

/**
 * The whole event as sent, before `eventInput`: nested at most MAX_EVENT_DEPTH levels and with no
 * key or string anywhere that the database would refuse (the event is stored as sent, unknown
 * keys included).
 */
export const eventJson = z.unknown().superRefine((raw, ctx) => checkFreeJson(raw, ctx, MAX_EVENT_DEPTH));

export const MAX_BATCH = 1000;

export const eventResult = z.object({
  id: z.string(),
  status: z.enum(["applied", "duplicate", "rejected"]),
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }).optional(),
});
export type EventResult = z.infer<typeof eventResult>;
export const eventsResponse = z.object({ results: z.array(eventResult) });

export const redemptionInput = z.object({
  id,
  points: z.number().int("must be a whole number").positive("must be greater than 0").max(MAX_REDEMPTION_POINTS, `must be at most ${MAX_REDEMPTION_POINTS}`),
  reason: safeText().trim().min(1, "a reason is required").max(200),
});
export type RedemptionInput = z.infer<typeof redemptionInput>;

export const periodJobInput = z.object({ asOf: z.iso.date("must be a date YYYY-MM-DD") });

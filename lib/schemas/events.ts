import { z } from "zod";
import { safeText } from "./text";

const id = z.string().trim().min(1).max(128);
const fenPositive = z.number().int("must be a whole number of fen").positive("must be greater than 0");
const occurredAt = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-03-08T10:15:00+08:00" });
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
] as const;
export type EventType = (typeof eventTypes)[number];

export const eventInput = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal("member.registered"),
    data: z
      .object({
        name: z.string().trim().max(60).optional(),
        phone: z.string().regex(/^\+?[0-9 -]{5,20}$/, "digits, optionally with + - or spaces").optional(),
        birthday: z.iso.date("must be a date YYYY-MM-DD").optional(),
        referrerId: id.optional(),
      })
      .default({}),
  }),
  z.object({
    ...base,
    memberId: id.nullable(),
    type: z.literal("order.paid"),
    data: z.object({
      orderId: id,
      amount: fenPositive,
      memberDiscount: z.number().int().nonnegative().optional(),
      items: z.array(z.unknown()).max(500).optional(),
    }),
  }),
  z.object({
    ...base,
    memberId: id.nullable(),
    type: z.literal("order.refunded"),
    data: z.object({ orderId: id, amount: fenPositive }),
  }),
  z.object({ ...base, type: z.literal("member.checked_in"), data: empty.default({}) }),
  z.object({ ...base, type: z.literal("review.posted"), data: z.object({}).passthrough().default({}) }),
  z.object({ ...base, type: z.literal("content.shared"), data: z.object({}).passthrough().default({}) }),
  z.object({ ...base, type: z.literal("profile.completed"), data: z.object({}).passthrough().default({}) }),
  z.object({ ...base, type: z.literal("referral.completed"), data: z.object({ refereeId: id }) }),
  z.object({ ...base, type: z.literal("right.redeemed"), data: z.object({ grantId: id }) }),
]);
export type EventInput = z.infer<typeof eventInput>;

export const MAX_BATCH = 1000;

export const eventResult = z.object({
  id: z.string(),
  status: z.enum(["applied", "duplicate", "rejected"]),
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }).optional(),
});
export type EventResult = z.infer<typeof eventResult>;
export const eventsResponse = z.object({ results: z.array(eventResult) });

export const redemptionInput = z.object({
  id: safeText().trim().min(1).max(128),
  points: z.number().int("must be a whole number").positive("must be greater than 0"),
  reason: safeText().trim().min(1, "a reason is required").max(200),
});
export type RedemptionInput = z.infer<typeof redemptionInput>;

export const periodJobInput = z.object({ asOf: z.iso.date("must be a date YYYY-MM-DD") });

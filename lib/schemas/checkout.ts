import { z } from "zod";
import { safeText } from "./text";

/** An order amount in fen: at most ¥10,000,000 (the events' order limit). */
export const MAX_ORDER_FEN = 1_000_000_000;
const fenAmount = z.coerce.number().int("must be a whole number of fen").positive("must be greater than 0").max(MAX_ORDER_FEN, `at most ${MAX_ORDER_FEN} fen (¥10,000,000)`);
const id = safeText().trim().min(1).max(128);

/** GET /api/v1/members/{memberId}/checkout?amount= */
export const checkoutQuery = z.object({ amount: fenAmount });

export const holdInput = z.object({
  id,
  orderId: id,
  amount: z.number().int("must be a whole number of fen").positive("must be greater than 0").max(MAX_ORDER_FEN, `at most ${MAX_ORDER_FEN} fen (¥10,000,000)`),
  points: z.number().int("must be a whole number").nonnegative("must not be negative").max(1_000_000_000).default(0),
  grantIds: z.array(id).max(10, "at most 10 coupons per order").default([]),
  wallet: z.number().int("must be a whole number of fen").nonnegative("must not be negative").max(MAX_ORDER_FEN).default(0),
  ttlSeconds: z.number().int("must be a whole number").min(60, "at least 60 seconds").max(86_400, "at most 86,400 seconds (a day)").default(900),
});
export type HoldInput = z.input<typeof holdInput>;

export const holdStatus = z.enum(["held", "confirmed", "released"]);
export const holdAnswer = z.object({
  id: z.string(),
  memberId: z.string(),
  status: holdStatus,
  orderId: z.string(),
  amount: z.number().int(),
  points: z.number().int(),
  pointsValue: z.number().int(),
  grants: z.array(z.object({ grantId: z.string(), discount: z.number().int() })),
  wallet: z.number().int(),
  payable: z.number().int(),
  expiresAt: z.string(),
});
export type HoldAnswer = z.infer<typeof holdAnswer>;

export const checkoutAnswer = z.object({
  amount: z.number().int(),
  points: z.object({ available: z.number().int(), maxUsable: z.number().int(), pointValue: z.number() }),
  coupons: z.array(
    z.object({
      grantId: z.string(),
      code: z.string(),
      right: z.string(),
      discount: z.number().int(),
      usable: z.boolean(),
      reason: z.enum(["threshold", "expired", "held"]).optional(),
    }),
  ),
  wallet: z.object({ available: z.number().int() }),
});
export type CheckoutAnswer = z.infer<typeof checkoutAnswer>;

/** Member page: an operator releases a member's open hold, with a reason (audited). */
export const releaseHoldInput = z.object({ memberId: id, holdId: id, reason: safeText().trim().min(2, "a reason is required").max(200) });
/** Member page: an operator voids an unused coupon, with a reason (audited). */
export const voidRightInput = z.object({ memberId: id, grantId: id, reason: safeText().trim().min(2, "a reason is required").max(200) });

import { pgTable, text, timestamp, integer, bigint, date, primaryKey, index } from "drizzle-orm/pg-core";

const tz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One purchase of a paid-membership card (付费会员卡, api.md "Paid membership"): by event
 * (`membership.purchased`, money) or through a mall item of kind `membership` (points). Its time is
 * [startsAt, endsAt): a purchase while a card runs starts where that card ends. Contiguous purchases
 * not refunded form one card. A refund sets `refundedAt` and moves the purchases after it in the
 * same card back by its months (their startsAt/endsAt are rewritten); nothing is deleted.
 */
export const memberships = pgTable(
  "memberships",
  {
    merchantId: text("merchant_id").notNull(),
    /** The caller's purchase id (the event's `purchaseId`; `mall:<orderId>` for a mall order). */
    purchaseId: text("purchase_id").notNull(),
    memberId: text("member_id").notNull(),
    planCode: text("plan_code").notNull(),
    months: integer("months").notNull(),
    purchasedAt: tz("purchased_at").notNull(),
    startsAt: tz("starts_at").notNull(),
    endsAt: tz("ends_at").notNull(),
    /** Cash paid, in fen (0 for a points purchase). */
    amount: bigint("amount", { mode: "number" }).notNull().default(0),
    /** Points paid (0 for a cash purchase). */
    points: bigint("points", { mode: "number" }).notNull().default(0),
    /** What bought it: `ev:<eventId>` or `mall:<orderId>`. */
    source: text("source").notNull(),
    /** The business date of the purchase (the merchant's time zone). */
    businessDate: date("business_date", { mode: "string" }).notNull(),
    refundedAt: tz("refunded_at"),
    refundedDate: date("refunded_date", { mode: "string" }),
    /** Net refunded cash, fen. */
    refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.purchaseId] }),
    index("memberships_member").on(t.merchantId, t.memberId, t.startsAt),
    index("memberships_ends").on(t.merchantId, t.endsAt),
  ],
);

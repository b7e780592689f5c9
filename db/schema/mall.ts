import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, integer, bigint, boolean, date, jsonb, primaryKey, index, check } from "drizzle-orm/pg-core";

const money = (name: string) => bigint(name, { mode: "number" });
const tz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A points-mall (积分商城) item (api.md, Points mall). `stock` null is unlimited; it never goes
 * below zero (the check: a goods order takes its units in its last statement, refused by it when
 * another order took them first; other orders with a conditional update, `stock >= q`). Operators' changes
 * are audited (audit_log, entity "mall_item", stock before and after).
 */
export const mallItems = pgTable(
  "mall_items",
  {
    merchantId: text("merchant_id").notNull(),
    itemId: text("item_id").notNull(),
    name: text("name").notNull(),
    nameEn: text("name_en").notNull(),
    kind: text("kind", { enum: ["goods", "right", "membership"] }).notNull(),
    /** The right a "right" item issues (a code of the program's rights). */
    rightCode: text("right_code"),
    /** The paid-membership plan a "membership" item starts (not accepted until plans exist). */
    planCode: text("plan_code"),
    points: money("points").notNull(),
    /** Cash the shop collects with the points, in fen (0 = points only). */
    cash: money("cash").notNull().default(0),
    /** What one unit costs the merchant, in fen (the mall KPI's cost; rights cost). */
    unitCost: money("unit_cost").notNull().default(0),
    stock: integer("stock"),
    /** `{ count, period: "day" | "month" | "year" | "ever" }`, counted in the merchant's time zone. */
    perMemberLimit: jsonb("per_member_limit").$type<{ count: number; period: "day" | "month" | "year" | "ever" } | null>(),
    /** Tier codes that may order it; null = every tier. */
    tiers: jsonb("tiers").$type<string[] | null>(),
    startsAt: tz("starts_at"),
    endsAt: tz("ends_at"),
    description: text("description"),
    imageUrl: text("image_url"),
    sortOrder: integer("sort_order").notNull().default(0),
    active: boolean("active").notNull().default(true),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.itemId] }), check("mall_items_stock_not_negative", sql`${t.stock} >= 0`)],
);

/**
 * One order of the mall; `order_id` is the caller's idempotency key (per merchant). The item's
 * points, cash and unit cost are copied at the time of the order.
 */
export const mallOrders = pgTable(
  "mall_orders",
  {
    merchantId: text("merchant_id").notNull(),
    orderId: text("order_id").notNull(),
    memberId: text("member_id").notNull(),
    itemId: text("item_id").notNull(),
    kind: text("kind", { enum: ["goods", "right", "membership"] }).notNull(),
    quantity: integer("quantity").notNull(),
    /** Points of the whole order (item points × quantity). */
    points: money("points").notNull(),
    /** Cash of the whole order, in fen. */
    cash: money("cash").notNull(),
    unitCost: money("unit_cost").notNull(),
    status: text("status", { enum: ["placed", "shipped", "picked_up", "cancelled"] }).notNull(),
    note: text("note"),
    /** The right instances a "right" item issued. */
    grantIds: jsonb("grant_ids").$type<string[]>().notNull().default([]),
    bodyHash: text("body_hash").notNull(),
    /** The business date of the order in the merchant's time zone (per-member limits, the KPI). */
    businessDate: date("business_date", { mode: "string" }).notNull(),
    placedAt: tz("placed_at").notNull(),
    fulfilledAt: tz("fulfilled_at"),
    cancelledAt: tz("cancelled_at"),
    cancelledDate: date("cancelled_date", { mode: "string" }),
    /** Who placed it when an operator did (a phone order), null for the API. */
    placedBy: text("placed_by"),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.orderId] }),
    index("mall_orders_member_item").on(t.merchantId, t.memberId, t.itemId, t.businessDate),
    index("mall_orders_date").on(t.merchantId, t.businessDate),
    index("mall_orders_cancelled").on(t.merchantId, t.cancelledDate),
  ],
);

/** The points an order took, lot by lot (oldest-expiring first): a cancel gives them back there. */
export const mallOrderLots = pgTable(
  "mall_order_lots",
  {
    merchantId: text("merchant_id").notNull(),
    orderId: text("order_id").notNull(),
    memberId: text("member_id").notNull(),
    lotId: bigint("lot_id", { mode: "number" }).notNull(),
    points: money("points").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.orderId, t.lotId] })],
);

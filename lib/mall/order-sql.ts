import type { Stmt } from "@/db/client";
import { heldInLot, heldTotals, VERSION } from "@/lib/checkout/hold-sql";

/**
 * A mall order's read as one prepared statement answering one row of JSON (as the checkout's hold,
 * lib/checkout/hold-sql.ts), run under the member's lock. It only reads: the stock is taken by the
 * order's last statement (takeStockStmt), so the item's row is locked only while that statement and
 * COMMIT run, not while the server works out the order (every order of a popular item waits there).
 */

export interface MallItemJson {
  itemId: string;
  name: string;
  nameEn: string;
  kind: "goods" | "right" | "membership";
  rightCode: string | null;
  planCode: string | null;
  points: number;
  cash: number;
  unitCost: number;
  stock: number | null;
  perMemberLimit: { count: number; period: "day" | "month" | "year" | "ever" } | null;
  tiers: string[] | null;
  startsAt: string | null;
  endsAt: string | null;
  active: boolean;
}

export interface MallOrderJson {
  orderId: string;
  memberId: string;
  itemId: string;
  kind: "goods" | "right" | "membership";
  quantity: number;
  points: number;
  cash: number;
  status: "placed" | "shipped" | "picked_up" | "cancelled";
  grantIds: string[];
  bodyHash: string;
}

export interface MallReadRow {
  prior: MallOrderJson | null;
  member: { tierCode: string; balance: number } | null;
  version: number | null;
  item: MallItemJson | null;
  held: { points: number; wallet: number };
  /** The member's lots with points left, oldest-expiring first, with what open holds set aside in each. */
  lots: { id: number; remaining: number; held: number }[];
  /** Units of the item the member has ordered (not cancelled): in all, and per business date from $7 on. */
  ordered: { ever: number; byDate: { date: string; n: number }[] };
}

/**
 * POST …/mall-orders under the member's lock: $1 merchant, $2 member, $3 now, $4 order id, $5 item
 * id, $6 the earliest business date a per-member limit's window can start on.
 */
export const mallReadStmt = (merchantId: string, memberId: string, now: Date, orderId: string, itemId: string, since: string): Stmt => ({
  sql: MALL_READ_SQL,
  params: [merchantId, memberId, now.toISOString(), orderId, itemId, since],
});
const ITEM = `json_build_object('itemId', i.item_id, 'name', i.name, 'nameEn', i.name_en, 'kind', i.kind, 'rightCode', i.right_code, 'planCode', i.plan_code,
    'points', i.points, 'cash', i.cash, 'unitCost', i.unit_cost, 'stock', i.stock, 'perMemberLimit', i.per_member_limit, 'tiers', i.tiers,
    'startsAt', i.starts_at, 'endsAt', i.ends_at, 'active', i.active)`;
const MINE = `o.merchant_id = $1::text and o.member_id = $2::text and o.item_id = $5::text and o.status <> 'cancelled'`;
const MALL_READ_SQL = `select json_build_object(
  'prior', (select json_build_object('orderId', o.order_id, 'memberId', o.member_id, 'itemId', o.item_id, 'kind', o.kind, 'quantity', o.quantity,
        'points', o.points, 'cash', o.cash, 'status', o.status, 'grantIds', o.grant_ids, 'bodyHash', o.body_hash)
      from mall_orders o where o.merchant_id = $1::text and o.order_id = $4::text),
  'member', (select json_build_object('tierCode', m.tier_code, 'balance', m.points_balance) from members m where m.merchant_id = $1::text and m.member_id = $2::text),
  'version', ${VERSION},
  'item', (select ${ITEM} from mall_items i where i.merchant_id = $1::text and i.item_id = $5::text),
  'held', ${heldTotals("$2::text")},
  'lots', (select coalesce(json_agg(json_build_object('id', l.id, 'remaining', l.remaining, 'held', ${heldInLot("l.member_id", "l.id")}) order by l.expires_at, l.id), '[]')
      from points_lots l where l.merchant_id = $1::text and l.member_id = $2::text and l.remaining > 0),
  'ordered', json_build_object(
      'ever', (select coalesce(sum(o.quantity), 0) from mall_orders o where ${MINE}),
      'byDate', (select coalesce(json_agg(json_build_object('date', d.business_date, 'n', d.n)), '[]')
        from (select o.business_date, sum(o.quantity) as n from mall_orders o where ${MINE} and o.business_date >= $6::date group by o.business_date) d))
) as r`;

/**
 * Takes `quantity` units of an item with a stock: $1 merchant, $2 item id, $3 quantity. Unconditional:
 * when another order took them since the read, the check mall_items_stock_not_negative refuses it
 * (SQLSTATE 23514) and the whole transaction with it.
 */
export const takeStockStmt = (merchantId: string, itemId: string, quantity: number): Stmt => ({ sql: TAKE_STOCK_SQL, params: [merchantId, itemId, quantity] });
const TAKE_STOCK_SQL = `update mall_items set stock = stock - $3::integer where merchant_id = $1::text and item_id = $2::text and stock is not null returning 1`;

/** The name of that check. */
export const STOCK_CHECK = "mall_items_stock_not_negative";

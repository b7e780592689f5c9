import { and, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mallOrders } from "@/db/schema";
import { csvLine } from "@/lib/csv/write";
import type { MallOrderListQuery } from "@/lib/schemas/mall";

/** At most this many orders on the page (the CSV export has them all). */
export const ORDER_PAGE_SIZE = 200;

function where(merchantId: string, f: MallOrderListQuery): SQL | undefined {
  return and(
    eq(mallOrders.merchantId, merchantId),
    f.status ? eq(mallOrders.status, f.status) : undefined,
    f.itemId ? eq(mallOrders.itemId, f.itemId) : undefined,
    f.memberId ? eq(mallOrders.memberId, f.memberId) : undefined,
    f.from ? gte(mallOrders.businessDate, f.from) : undefined,
    f.to ? lte(mallOrders.businessDate, f.to) : undefined,
  );
}

/** The orders page: newest first, filtered by status, item, member and business dates. */
export async function listOrders(db: Db, merchantId: string, f: MallOrderListQuery, limit = ORDER_PAGE_SIZE) {
  return db.select().from(mallOrders).where(where(merchantId, f)).orderBy(desc(mallOrders.placedAt), desc(mallOrders.orderId)).limit(limit);
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The filtered orders as CSV (UTF-8 with a BOM so Excel opens it); mall orders are few, so one query. */
export async function ordersCsv(db: Db, merchantId: string, f: MallOrderListQuery): Promise<string> {
  const rows = await listOrders(db, merchantId, f, 100_000);
  const head = csvLine(["order_id", "business_date", "member_id", "item_id", "kind", "quantity", "points", "cash_yuan", "unit_cost_yuan", "status", "note", "placed_at", "fulfilled_at", "cancelled_at", "grant_ids"]);
  const body = rows.map((o) =>
    csvLine([o.orderId, o.businessDate, o.memberId, o.itemId, o.kind, o.quantity, o.points, yuan(o.cash), yuan(o.unitCost), o.status, o.note, o.placedAt.toISOString(), o.fulfilledAt?.toISOString() ?? null, o.cancelledAt?.toISOString() ?? null, o.grantIds.join(" ")]),
  );
  return "\uFEFF" + head + body.join("");
}

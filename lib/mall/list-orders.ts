import { and, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mallOrders } from "@/db/schema";
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

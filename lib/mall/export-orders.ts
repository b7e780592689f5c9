import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mallItems } from "@/db/schema";
import { messages } from "@/messages";
import { exportTable, type ExportColumn, type ExportFormat, type ExportLocale } from "@/lib/export/table";
import type { MallOrderListQuery } from "@/lib/schemas/mall";
import { listOrders } from "./list-orders";

type Order = Awaited<ReturnType<typeof listOrders>>[number];

/**
 * The filtered points-mall orders as CSV or .xlsx in the reader's language: item, kind and status
 * names (not codes), times in the merchant's zone, money in yuan. Mall orders are few: one query.
 */
export async function exportOrders(db: Db, merchantId: string, f: MallOrderListQuery, opts: { locale: ExportLocale; format: ExportFormat; timeZone: string }) {
  const en = opts.locale === "en";
  const [orders, items] = await Promise.all([
    listOrders(db, merchantId, f, 100_000),
    db.select({ itemId: mallItems.itemId, name: mallItems.name, nameEn: mallItems.nameEn }).from(mallItems).where(eq(mallItems.merchantId, merchantId)),
  ]);
  const itemName = new Map(items.map((i) => [i.itemId, en ? i.nameEn || i.name : i.name]));
  const mall = messages[opts.locale].mall as { kind: Record<string, string>; orders: { status: Record<string, string> } };
  const columns: ExportColumn<Order>[] = [
    { header: { "zh-CN": "订单号", en: "Order" }, kind: "text", value: (o) => o.orderId, width: 16 },
    { header: { "zh-CN": "营业日", en: "Business date" }, kind: "date", value: (o) => o.businessDate, width: 12 },
    { header: { "zh-CN": "会员编号", en: "Member ID" }, kind: "text", value: (o) => o.memberId, width: 14 },
    { header: { "zh-CN": "商品", en: "Item" }, kind: "text", value: (o) => itemName.get(o.itemId) ?? o.itemId, width: 20 },
    { header: { "zh-CN": "类型", en: "Kind" }, kind: "text", value: (o) => mall.kind[o.kind] ?? o.kind },
    { header: { "zh-CN": "数量", en: "Quantity" }, kind: "int", value: (o) => o.quantity },
    { header: { "zh-CN": "积分", en: "Points" }, kind: "int", value: (o) => o.points },
    { header: { "zh-CN": "现金（元）", en: "Cash (¥)" }, kind: "money", value: (o) => o.cash },
    { header: { "zh-CN": "单位成本（元）", en: "Unit cost (¥)" }, kind: "money", value: (o) => o.unitCost },
    { header: { "zh-CN": "状态", en: "Status" }, kind: "text", value: (o) => mall.orders.status[o.status] ?? o.status },
    { header: { "zh-CN": "备注", en: "Note" }, kind: "text", value: (o) => o.note, width: 20 },
    { header: { "zh-CN": "下单时间", en: "Placed" }, kind: "datetime", value: (o) => o.placedAt, width: 20 },
    { header: { "zh-CN": "履约时间", en: "Fulfilled" }, kind: "datetime", value: (o) => o.fulfilledAt, width: 20 },
    { header: { "zh-CN": "取消时间", en: "Cancelled" }, kind: "datetime", value: (o) => o.cancelledAt, width: 20 },
    { header: { "zh-CN": "权益实例", en: "Grant IDs" }, kind: "text", value: (o) => o.grantIds.join(" ") },
  ];
  async function* pages() {
    yield orders;
  }
  return exportTable(columns, pages, opts.format, { locale: opts.locale, timeZone: opts.timeZone, sheetName: en ? "Mall orders" : "兑换订单" });
}

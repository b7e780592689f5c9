import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, mallItems, mallOrders, pointsLedger, rightInstances } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { createHold } from "@/lib/checkout/holds";
import { holdInput } from "@/lib/schemas/checkout";
import { mallOrderInput } from "@/lib/schemas/mall";
import { cancelOrder, placeOrder, setOrderStatus } from "@/lib/mall/orders";
import { deleteItem, exportItems, importItems, listItemsFor, saveItem } from "@/lib/mall/items";
import { exportOrders } from "@/lib/mall/export-orders";
import type { Actor } from "@/lib/auth/actor";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import { testDatabases } from "../db";
import { outcome as codeOf, pointsTotals } from "../checks";

const order = (o: Record<string, unknown>) => mallOrderInput.parse(o);
const operator: Actor = { kind: "user", userId: "u1", merchantId: "x", role: "operator", email: "op@example.com", name: "Op" };

/** The error code a promise rejects with and its issues' paths, or "ok". */
describe.each(testDatabases)("points mall on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  // 2026-12-01 12:00 in Shanghai.
  const now = new Date("2026-12-01T04:00:00Z");

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "mall", name: "Mall", demoProgram: true })).id;
    const events = ["P", "H", "T", "E", "X"].flatMap((m) => [
      // 100 welcome points, then ¥4,900 as basic (×1, not the 8th or 18th): 5,000 points each.
      { id: `r-${m}`, type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: m, data: {} },
      { id: `o-${m}`, type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: m, data: { orderId: `O-${m}`, amount: 490_000 } },
    ]);
    const res = await ingestEvents(database.db, merchantId, events);
    expect(res.every((r) => r.status === "applied")).toBe(true);
  });
  afterAll(() => database.close());

  const state = async (memberId: string, itemId = "tote_bag") => {
    const db = database.db;
    const points = await pointsTotals(db, merchantId, memberId);
    const [item] = await db.select().from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, itemId)));
    const [orders] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(mallOrders).where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.memberId, memberId)));
    return { ...points, stock: item?.stock ?? null, orders: orders.n };
  };

  it("the demo merchant has the four demo items", async () => {
    const { items } = await listItemsFor(database.db, merchantId, undefined, now);
    expect(items.map((i) => [i.itemId, i.kind, i.points, i.cash, i.unitCost, i.stock])).toEqual([
      ["free_shipping", "right", 500, 0, 800, null],
      ["winback_20", "right", 1500, 0, 2000, null],
      ["tote_bag", "goods", 800, 990, 1500, 200],
      ["svip_card", "membership", 10000, 0, 0, null],
    ]);
    expect(items[2].perMemberLimit).toEqual({ count: 1, period: "month" });
  });

  it("a tote bag: 800 points and ¥9.90, stock 199, one ledger row; the same id again answers the same order", async () => {
    const db = database.db;
    const first = await placeOrder(db, merchantId, "P", order({ id: "p1", itemId: "tote_bag" }), { now });
    expect(first).toEqual({ created: true, order: { id: "p1", memberId: "P", itemId: "tote_bag", quantity: 1, points: 800, cash: 990, status: "placed" } });
    // 5,000 − 800 = 4,200; lots and ledger agree with the balance.
    expect(await state("P")).toEqual({ balance: 4_200, lots: 4_200, ledger: 4_200, stock: 199, orders: 1 });
    const [row] = await db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.source, "mall:p1")));
    expect(row).toMatchObject({ delta: -800, kind: "spend", businessDate: "2026-12-01" });
    const again = await placeOrder(db, merchantId, "P", order({ id: "p1", itemId: "tote_bag" }), { now });
    expect(again.created).toBe(false);
    expect(await codeOf(placeOrder(db, merchantId, "P", order({ id: "p1", itemId: "free_shipping" }), { now }))).toBe("conflict id");
    expect(await state("P")).toEqual({ balance: 4_200, lots: 4_200, ledger: 4_200, stock: 199, orders: 1 });
  });

  it("a second tote bag in the same month: limit_reached, nothing changed; the eligibility list says so", async () => {
    const db = database.db;
    expect(await codeOf(placeOrder(db, merchantId, "P", order({ id: "p2", itemId: "tote_bag" }), { now }))).toBe("limit_reached quantity");
    expect(await state("P")).toEqual({ balance: 4_200, lots: 4_200, ledger: 4_200, stock: 199, orders: 1 });
    const { items } = await listItemsFor(db, merchantId, "P", now);
    expect(items.map((i) => [i.itemId, i.eligible, i.reason])).toEqual([
      ["free_shipping", true, undefined],
      ["winback_20", true, undefined],
      ["tote_bag", false, "limit_reached"],
      ["svip_card", false, "insufficient_points"],
    ]);
  });

  it("two free-shipping coupons: 1,000 points, two instances issued; cancel gives back points and voids them, twice the same", async () => {
    const db = database.db;
    const { order: o } = await placeOrder(db, merchantId, "P", order({ id: "p3", itemId: "free_shipping", quantity: 2 }), { now });
    expect(o).toMatchObject({ points: 1_000, cash: 0, status: "placed" });
    expect(o.grantIds).toHaveLength(2);
    const issued = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, "P"), eq(rightInstances.rightCode, "free_shipping")));
    expect(issued.map((r) => r.source).sort()).toEqual(["mall:p3:0", "mall:p3:1"]);
    // 4,200 − 1,000 = 3,200.
    expect((await state("P")).balance).toBe(3_200);
    expect(await cancelOrder(db, merchantId, "p3", { now })).toMatchObject({ status: "cancelled" });
    expect(await cancelOrder(db, merchantId, "p3", { now })).toMatchObject({ status: "cancelled" });
    expect(await state("P")).toEqual({ balance: 4_200, lots: 4_200, ledger: 4_200, stock: 199, orders: 2 });
    const after = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, "P"), eq(rightInstances.rightCode, "free_shipping")));
    expect(after.every((r) => r.voidedAt !== null)).toBe(true);
  });

  it("cancelling an order whose coupon was used: 409 conflict, nothing changed", async () => {
    const db = database.db;
    const { order: o } = await placeOrder(db, merchantId, "P", order({ id: "p4", itemId: "winback_20" }), { now });
    await db.update(rightInstances).set({ redeemedAt: now, redeemedDate: "2026-12-01" }).where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.grantId, o.grantIds![0])));
    // 4,200 − 1,500 = 2,700.
    expect((await state("P")).balance).toBe(2_700);
    expect(await codeOf(cancelOrder(db, merchantId, "p4", { now }))).toBe("conflict id");
    expect((await state("P")).balance).toBe(2_700);
    const [row] = await db.select().from(mallOrders).where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.orderId, "p4")));
    expect(row.status).toBe("placed");
  });

  it("cancelling a tote bag: stock back, and its slot in the month free again", async () => {
    const db = database.db;
    await cancelOrder(db, merchantId, "p1", { now });
    // 2,700 + 800 = 3,500; stock 199 + 1 = 200.
    expect(await state("P")).toMatchObject({ balance: 3_500, lots: 3_500, ledger: 3_500, stock: 200 });
    expect((await placeOrder(db, merchantId, "P", order({ id: "p5", itemId: "tote_bag" }), { now })).created).toBe(true);
    expect(await state("P")).toMatchObject({ balance: 2_700, stock: 199 });
  });

  it("points an open checkout hold set aside are not the mall's to take", async () => {
    const db = database.db;
    // 4,500 of H's 5,000 points held for an order of ¥1,000 (at most 50%: 50,000 points): 500 left.
    await createHold(db, merchantId, "H", holdInput.parse({ id: "h1", orderId: "OH1", amount: 100_000, points: 4_500 }), now);
    expect(await codeOf(placeOrder(db, merchantId, "H", order({ id: "h-tote", itemId: "tote_bag" }), { now }))).toBe("insufficient_points quantity");
    expect(await state("H")).toMatchObject({ balance: 5_000, orders: 0 });
    // 500 points: exactly one free-shipping coupon.
    expect((await placeOrder(db, merchantId, "H", order({ id: "h-fs", itemId: "free_shipping" }), { now })).order.points).toBe(500);
    expect((await state("H")).balance).toBe(4_500);
  });

  it("the monthly limit counts in Asia/Shanghai: 23:59 on 30 November and 00:00 on 1 December are two months", async () => {
    const db = database.db;
    const nov30late = new Date("2026-11-30T15:59:00Z"); // 23:59 in Shanghai, still November
    const dec1 = new Date("2026-11-30T16:00:00Z"); // 00:00 on 1 December in Shanghai
    expect(await codeOf(placeOrder(db, merchantId, "T", order({ id: "t1", itemId: "tote_bag" }), { now: nov30late }))).toBe("ok");
    expect(await codeOf(placeOrder(db, merchantId, "T", order({ id: "t2", itemId: "tote_bag" }), { now: new Date("2026-11-30T15:59:59Z") }))).toBe("limit_reached quantity");
    expect(await codeOf(placeOrder(db, merchantId, "T", order({ id: "t3", itemId: "tote_bag" }), { now: dec1 }))).toBe("ok");
    const rows = await db.select().from(mallOrders).where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.memberId, "T")));
    expect(rows.map((r) => r.businessDate).sort()).toEqual(["2026-11-30", "2026-12-01"]);
  });

  it("a cancel after the lots expired: those points are not returned, and the ledger row says so", async () => {
    const db = database.db;
    await placeOrder(db, merchantId, "E", order({ id: "e1", itemId: "tote_bag" }), { now });
    expect((await state("E")).balance).toBe(4_200);
    // Both lots (earned 25 and 26 November 2026) expire twelve months later.
    await cancelOrder(db, merchantId, "e1", { now: new Date("2028-01-01T00:00:00Z") });
    const [row] = await db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.source, "mall-cancel:e1")));
    expect(row.delta).toBe(0);
    expect(row.reason).toContain("800 points not returned");
    expect(await state("E")).toMatchObject({ balance: 4_200, lots: 4_200, ledger: 4_200 });
  });

  it("bad input: each a field-level error, nothing changed", async () => {
    const db = database.db;
    const before = await state("X");
    const x = (o: Record<string, unknown>, at = now) => codeOf(placeOrder(db, merchantId, "X", order(o), { now: at }));
    expect(await x({ id: "x1", itemId: "no_such_item" })).toBe("validation_failed itemId");
    await saveItem(db, merchantId, { itemId: "mug", name: "马克杯", nameEn: "Mug", kind: "goods", points: 100, stock: 5, active: false }, operator, "create");
    expect(await x({ id: "x2", itemId: "mug" })).toBe("not_eligible itemId");
    await saveItem(db, merchantId, { itemId: "mug", name: "马克杯", nameEn: "Mug", kind: "goods", points: 100, stock: 5, endsAt: "2026-11-30T16:00:00Z" }, operator, "update");
    expect(await x({ id: "x3", itemId: "mug" })).toBe("not_eligible itemId");
    expect(await x({ id: "x3b", itemId: "mug" }, new Date("2026-11-30T15:00:00Z"))).toBe("ok");
    await saveItem(db, merchantId, { itemId: "gold_mug", name: "金马克杯", nameEn: "Gold mug", kind: "goods", points: 100, tiers: ["gold", "diamond"] }, operator, "create");
    expect(await x({ id: "x4", itemId: "gold_mug" })).toBe("not_eligible itemId");
    // An item whose right has since gone from the program.
    const oldRight = { code: "no_longer", name: { zh: "旧券", en: "Old coupon" }, kind: "coupon", cadence: "once", group: "base", unitCost: 100, validityDays: 30, coupon: { type: "amount", amount: 100, minSpend: 0 } } as const;
    await saveProgram(db, merchantId, { ...demoProgram, rights: [...demoProgram.rights, oldRight] });
    await saveItem(db, merchantId, { itemId: "gone", name: "旧券", nameEn: "Old coupon", kind: "right", right: "no_longer", points: 10 }, operator, "create");
    await saveProgram(db, merchantId, demoProgram);
    expect(await x({ id: "x5", itemId: "gone" })).toBe("validation_failed itemId");
    expect((await listItemsFor(db, merchantId, "X", now)).items.find((i) => i.itemId === "gone")).toMatchObject({ eligible: false, reason: "not_eligible" });
    for (const q of [0, 1_000_000]) expect(mallOrderInput.safeParse({ id: "x6", itemId: "mug", quantity: q }).error?.issues.map((i) => i.path.join("."))).toEqual(["quantity"]);
    expect({ ...(await state("X")), balance: (await state("X")).balance }).toEqual({ ...before, balance: before.balance - 100, ledger: before.ledger - 100, lots: before.lots - 100, orders: 1 });

    // The editor: negative points or cash, a right that does not exist, a membership item without a plan of the program.
    const bad = (o: Record<string, unknown>) => codeOf(saveItem(db, merchantId, { itemId: "bad", name: "坏", nameEn: "Bad", kind: "goods", points: 10, ...o }, operator, "create"));
    expect(await bad({ points: -1 })).toBe("validation_failed points");
    expect(await bad({ cash: -1 })).toBe("validation_failed cash");
    expect(await bad({ kind: "right", right: "nope" })).toBe("validation_failed right");
    expect(await bad({ kind: "membership", plan: "gold_card" })).toBe("validation_failed plan");
    expect(await bad({ kind: "membership" })).toBe("validation_failed plan");
    expect(await bad({ tiers: ["platinum"] })).toBe("validation_failed tiers.0");
    const [{ n }] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, "bad")));
    expect(n).toBe(0);
  });

  it("an item named only in Chinese gets an id from its pinyin (unique) and its Chinese name as the English one", async () => {
    const db = database.db;
    const first = await saveItem(db, merchantId, { name: "保温杯", kind: "goods", points: 300 }, operator, "create");
    expect(first).toMatchObject({ itemId: "bao_wen_bei", name: "保温杯", nameEn: "保温杯" });
    const second = await saveItem(db, merchantId, { itemId: "", name: "保温杯", nameEn: "", kind: "goods", points: 300 }, operator, "create");
    expect(second).toMatchObject({ itemId: "bao_wen_bei_2", nameEn: "保温杯" });
    expect(await codeOf(saveItem(db, merchantId, { name: "保温杯", kind: "goods", points: 300 }, operator, "update"))).toBe("validation_failed itemId");
  });

  it("stock edits are audited with before and after; an ordered item is deactivated, not deleted", async () => {
    const db = database.db;
    await saveItem(db, merchantId, { itemId: "mug", name: "马克杯", nameEn: "Mug", kind: "goods", points: 100, stock: 50 }, operator, "update");
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.entityId, "mug"), eq(auditLog.action, "mall.item_update")));
    const last = audits.map((a) => ({ before: JSON.parse(String(a.before)).stock, after: JSON.parse(String(a.after)).stock })).at(-1);
    // 5 in stock, one ordered (x3b): 4 before the edit, 50 after.
    expect(last).toEqual({ before: 4, after: 50 });
    expect(await deleteItem(db, merchantId, "mug", operator)).toEqual({ itemId: "mug", deleted: false, active: false });
    expect(await deleteItem(db, merchantId, "gold_mug", operator)).toEqual({ itemId: "gold_mug", deleted: true, active: false });
  });

  it("goods orders are marked picked up with a note, once; JSON export imports back", async () => {
    const db = database.db;
    expect(await setOrderStatus(db, merchantId, { orderId: "p5", status: "picked_up", note: "门店自提" }, operator)).toMatchObject({ status: "picked_up" });
    expect(await codeOf(setOrderStatus(db, merchantId, { orderId: "p5", status: "shipped", note: "" }, operator))).toBe("conflict status");
    expect(await codeOf(setOrderStatus(db, merchantId, { orderId: "p4", status: "shipped", note: "" }, operator))).toBe("validation_failed status");
    // The orders page's CSV of the same filter, in English: a header and p5's row (¥9.90 cash, ¥15 unit cost).
    const csv = (await new Response(await exportOrders(db, merchantId, { status: "picked_up", memberId: "P" }, { locale: "en", format: "csv", timeZone: "Asia/Shanghai" })).text()).replace("\uFEFF", "").trim().split("\r\n");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(/^p5,2026-12-01,P,[^,]+,Goods,1,800,9\.90,15\.00,Picked up,门店自提,/);
    const exported = await exportItems(db, merchantId);
    const other = (await createMerchant(db, { slug: "mall2", name: "Mall 2", demoProgram: true })).id;
    await db.delete(mallItems).where(eq(mallItems.merchantId, other));
    const good = { items: exported.items.filter((i) => i.itemId !== "gone") };
    expect(await importItems(db, other, good, operator)).toEqual({ imported: good.items.length });
    expect(await exportItems(db, other)).toEqual(good);
    // One bad item refuses the whole import, naming it.
    expect(await codeOf(importItems(db, other, exported, operator))).toBe(`validation_failed items.${exported.items.findIndex((i) => i.itemId === "gone")}.right`);
  });
});

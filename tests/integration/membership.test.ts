import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, like } from "drizzle-orm";
import type { Database } from "@/db/client";
import { memberships, pointsLedger, rightInstances } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { cancelOrder, placeOrder } from "@/lib/mall/orders";
import { mallOrderInput } from "@/lib/schemas/mall";
import { replaceProgram } from "@/lib/program/update-program";
import { demoProgram } from "@/lib/program/demo-program";
import { saveItem } from "@/lib/mall/items";
import { listVersions } from "@/lib/program/store";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { memberView } from "@/lib/members/read-member";
import { listMembers } from "@/lib/members/list-members";
import { memberListQuery } from "@/lib/schemas/members";
import { memberships as membershipsKpi } from "@/lib/metrics/memberships";
import { testDatabases } from "../db";
import { outcome, pointsTotals } from "../checks";

describe.each(testDatabases)("paid membership through the engine on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  const ev = (id: string, type: string, occurredAt: string, memberId: string, data: Record<string, unknown>) => ({ id, type, occurredAt, memberId, data });
  const send = async (...events: unknown[]) => ingestEvents(database.db, merchantId, events);
  const pointsOf = async (source: string) => {
    const [row] = await database.db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.source, source)));
    return row?.delta;
  };
  const rightsOf = async (purchaseId: string) =>
    (
      await database.db
        .select()
        .from(rightInstances)
        .where(and(eq(rightInstances.merchantId, merchantId), like(rightInstances.source, `membership:${purchaseId}:%`)))
        .orderBy(rightInstances.source)
    ).map((r) => [r.source, r.rightCode, r.voidedAt === null ? "live" : "voided", r.redeemedAt === null ? "" : "redeemed"]);
  const purchases = async (memberId: string) =>
    (await database.db.select().from(memberships).where(and(eq(memberships.merchantId, merchantId), eq(memberships.memberId, memberId))).orderBy(memberships.purchasedAt)).map((p) => [
      p.purchaseId,
      p.startsAt.toISOString(),
      p.endsAt.toISOString(),
      p.refundedAt === null ? "" : "refunded",
    ]);

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "svip", name: "SVIP", demoProgram: true })).id;
    const res = await send(ev("r-A", "member.registered", "2026-09-01T10:00:00+08:00", "A", {}), ev("r-B", "member.registered", "2026-09-01T10:00:00+08:00", "B", {}));
    expect(res.map((r) => r.status)).toEqual(["applied", "applied"]);
  });
  afterAll(() => database.close());

  it("a purchase starts a 12-month card with 1 免邮券 on start and this month's 2 × 9折券; not an order (no points)", async () => {
    const [r] = await send(ev("p-A1", "membership.purchased", "2026-09-05T10:00:00+08:00", "A", { purchaseId: "A1", plan: "svip", amount: 19900 }));
    expect(r.status).toBe("applied");
    // 2026-09-05 10:00 Shanghai = 02:00Z; 12 months later, same time.
    expect(await purchases("A")).toEqual([["A1", "2026-09-05T02:00:00.000Z", "2027-09-05T02:00:00.000Z", ""]]);
    expect(await rightsOf("A1")).toEqual([
      ["membership:A1:2026-09:coupon_90:1.0", "coupon_90", "live", ""],
      ["membership:A1:2026-09:coupon_90:1.1", "coupon_90", "live", ""],
      ["membership:A1:start:free_shipping:0.0", "free_shipping", "live", ""],
    ]);
    const rows = await database.db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, merchantId), like(pointsLedger.source, "ev:p-A1%")));
    expect(rows).toEqual([]);
  });

  it("the card's ×1.5 on an ordinary day; beside the ×2 double-points day (the 18th) ×2 wins, not ×3", async () => {
    const res = await send(
      ev("o-A1", "order.paid", "2026-09-10T12:00:00+08:00", "A", { orderId: "OA1", amount: 10_000 }),
      ev("o-A2", "order.paid", "2026-09-18T12:00:00+08:00", "A", { orderId: "OA2", amount: 10_000 }),
      ev("o-B1", "order.paid", "2026-09-10T12:00:00+08:00", "B", { orderId: "OB1", amount: 10_000 }),
    );
    expect(res.map((r) => r.status)).toEqual(["applied", "applied", "applied"]);
    // ¥100 × 1 point/yuan × basic ×1: with the card × 1.5 = 150; on the 18th max(×2, ×1.5) = 200; without a card 100.
    expect(await pointsOf("ev:o-A1:order")).toBe(150);
    expect(await pointsOf("ev:o-A2:order")).toBe(200);
    expect(await pointsOf("ev:o-B1:order")).toBe(100);
  });

  it("a second annual card while the first runs extends it by 12 months, with its own on-start right only", async () => {
    const [r] = await send(ev("p-A2", "membership.purchased", "2026-10-01T09:00:00+08:00", "A", { purchaseId: "A2", plan: "svip", amount: 19900 }));
    expect(r.status).toBe("applied");
    expect(await purchases("A")).toEqual([
      ["A1", "2026-09-05T02:00:00.000Z", "2027-09-05T02:00:00.000Z", ""],
      ["A2", "2027-09-05T02:00:00.000Z", "2028-09-05T02:00:00.000Z", ""],
    ]);
    expect(await rightsOf("A2")).toEqual([["membership:A2:start:free_shipping:0.0", "free_shipping", "live", ""]]);
  });

  it("a refund removes the purchase's 12 months and voids its unused rights (a used one stays used)", async () => {
    const [used] = await database.db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.source, "membership:A1:2026-09:coupon_90:1.0")));
    const res = await send(
      ev("u-1", "right.redeemed", "2026-10-01T12:00:00+08:00", "A", { grantId: used.grantId }),
      ev("f-A1", "membership.refunded", "2026-10-02T12:00:00+08:00", "A", { purchaseId: "A1" }),
    );
    expect(res.map((r) => r.status)).toEqual(["applied", "applied"]);
    expect(await purchases("A")).toEqual([
      ["A1", "2026-09-05T02:00:00.000Z", "2027-09-05T02:00:00.000Z", "refunded"],
      ["A2", "2026-09-05T02:00:00.000Z", "2027-09-05T02:00:00.000Z", ""],
    ]);
    expect(await rightsOf("A1")).toEqual([
      ["membership:A1:2026-09:coupon_90:1.0", "coupon_90", "live", "redeemed"],
      ["membership:A1:2026-09:coupon_90:1.1", "coupon_90", "voided", ""],
      ["membership:A1:start:free_shipping:0.0", "free_shipping", "voided", ""],
    ]);
    // The card still runs on A2: ×1.5.
    await send(ev("o-A3", "order.paid", "2026-10-10T12:00:00+08:00", "A", { orderId: "OA3", amount: 10_000 }));
    expect(await pointsOf("ev:o-A3:order")).toBe(150);
  });

  it("a purchase and its refund in one batch leave no live right and no card", async () => {
    const res = await send(
      ev("p-B1", "membership.purchased", "2026-10-03T09:00:00+08:00", "B", { purchaseId: "B1", plan: "svip", amount: 19900 }),
      ev("f-B1", "membership.refunded", "2026-10-03T09:30:00+08:00", "B", { purchaseId: "B1" }),
      ev("o-B2", "order.paid", "2026-10-03T12:00:00+08:00", "B", { orderId: "OB2", amount: 10_000 }),
    );
    expect(res.map((r) => r.status)).toEqual(["applied", "applied", "applied"]);
    expect(await purchases("B")).toEqual([["B1", "2026-10-03T01:00:00.000Z", "2027-10-03T01:00:00.000Z", "refunded"]]);
    expect(await rightsOf("B1")).toEqual([]);
    expect(await pointsOf("ev:o-B2:order")).toBe(100);
  });

  it("the SVIP card from the mall for 10,000 points starts a card; the cancel gives the points back and ends it", async () => {
    const db = database.db;
    // 100 welcome points + ¥10,000 × 1 (basic, the 10th: no campaign) = 10,100 points.
    await send(ev("r-C", "member.registered", "2026-11-01T10:00:00+08:00", "C", {}), ev("o-C1", "order.paid", "2026-11-10T10:00:00+08:00", "C", { orderId: "OC1", amount: 1_000_000 }));
    expect(await pointsTotals(db, merchantId, "C")).toEqual({ balance: 10_100, lots: 10_100, ledger: 10_100 });
    // 2026-11-20 12:00 Shanghai.
    const now = new Date("2026-11-20T04:00:00Z");
    expect(await outcome(placeOrder(db, merchantId, "C", mallOrderInput.parse({ id: "c2", itemId: "svip_card", quantity: 2 }), { now }))).toBe("validation_failed quantity");
    const { order } = await placeOrder(db, merchantId, "C", mallOrderInput.parse({ id: "c1", itemId: "svip_card" }), { now });
    expect(order).toEqual({ id: "c1", memberId: "C", itemId: "svip_card", quantity: 1, points: 10_000, cash: 0, status: "placed", membership: { plan: "svip", startsAt: "2026-11-20T04:00:00.000Z", endsAt: "2027-11-20T04:00:00.000Z" } });
    expect(await pointsTotals(db, merchantId, "C")).toEqual({ balance: 100, lots: 100, ledger: 100 });
    expect(await purchases("C")).toEqual([["mall:c1", "2026-11-20T04:00:00.000Z", "2027-11-20T04:00:00.000Z", ""]]);
    expect((await rightsOf("mall:c1")).map((r) => r.slice(0, 3))).toEqual([
      ["membership:mall:c1:2026-11:coupon_90:1.0", "coupon_90", "live"],
      ["membership:mall:c1:2026-11:coupon_90:1.1", "coupon_90", "live"],
      ["membership:mall:c1:start:free_shipping:0.0", "free_shipping", "live"],
    ]);
    // The repeat answers the same order, with its card.
    expect((await placeOrder(db, merchantId, "C", mallOrderInput.parse({ id: "c1", itemId: "svip_card" }), { now })).order).toEqual(order);
    await cancelOrder(db, merchantId, "c1", { now: new Date("2026-11-21T04:00:00Z") });
    expect(await pointsTotals(db, merchantId, "C")).toEqual({ balance: 10_100, lots: 10_100, ledger: 10_100 });
    expect((await purchases("C")).map((p) => p[3])).toEqual(["refunded"]);
    expect((await rightsOf("mall:c1")).map((r) => r[2])).toEqual(["voided", "voided", "voided"]);
  });

  it("member reads carry the cards; the member list filters on holding one (any plan, or this plan)", async () => {
    const db = database.db;
    // A: A1 refunded, A2 moved back to A1's start: one card, 2026-09-05 → 2027-09-05 (10:00 Shanghai).
    expect((await memberView(db, merchantId, "A")).memberships).toEqual([{ plan: "svip", startsAt: "2026-09-05T02:00:00.000Z", endsAt: "2027-09-05T02:00:00.000Z" }]);
    // B's only purchase and C's mall card were refunded / cancelled: no card.
    expect((await memberView(db, merchantId, "B")).memberships).toEqual([]);
    expect((await memberView(db, merchantId, "C")).memberships).toEqual([]);
    const ids = async (card?: string) =>
      (await listMembers(db, merchantId, memberListQuery.parse({ card, sort: "memberId", dir: "asc" }), { timeZone: "Asia/Shanghai", fullPhone: false })).rows.map((r) => r.memberId);
    expect(await ids()).toEqual(["A", "B", "C"]);
    expect(await ids("any")).toEqual(["A"]);
    expect(await ids("svip")).toEqual(["A"]);
    expect(await ids("gold_card")).toEqual([]);
    expect(memberListQuery.safeParse({ card: "Not A Code" }).error?.issues.map((i) => i.path.join("."))).toEqual(["card"]);
  });

  it("KPI memberships: refunded purchases are not starts; revenue is cash paid net of cash refunded, by business date", async () => {
    const r = await membershipsKpi(database.db, { merchantId, from: "2026-09-01", to: "2026-12-31", granularity: "month" });
    // Sep: A1 ¥199 paid (refunded in Oct: not a start). Oct: A2 and B1 paid ¥398, A1 and B1 refunded ¥398; A2 starts (A1 refunded: not a renewal).
    // Nov: C's mall card (points, ¥0) cancelled. A holds A2 (moved back to Sep 5 by A1's refund) at the end of every month.
    expect(r.series).toEqual([
      { period: "2026-09-01", active: 1, started: 0, renewed: 0, ended: 0, renewalRate: null, revenue: 19_900 },
      { period: "2026-10-01", active: 1, started: 1, renewed: 0, ended: 0, renewalRate: null, revenue: 0 },
      { period: "2026-11-01", active: 1, started: 0, renewed: 0, ended: 0, renewalRate: null, revenue: 0 },
      { period: "2026-12-01", active: 1, started: 0, renewed: 0, ended: 0, renewalRate: null, revenue: 0 },
    ]);
    expect(r.total).toEqual({ active: 1, started: 1, renewed: 0, ended: 0, renewalRate: null, revenue: 19_900 });
  });

  it("a 1-per-month mall item across a month boundary in Asia/Shanghai: the month is the merchant's, not UTC's", async () => {
    const db = database.db;
    const tote = (id: string, at: string) => outcome(placeOrder(db, merchantId, "C", mallOrderInput.parse({ id, itemId: "tote_bag" }), { now: new Date(at) }));
    // 2026-11-30 23:30 in Shanghai (15:30Z): November's one.
    expect(await tote("t1", "2026-11-30T15:30:00Z")).toBe("ok");
    // 2026-12-01 00:30 in Shanghai — still Nov 30 in UTC: December's one.
    expect(await tote("t2", "2026-11-30T16:30:00Z")).toBe("ok");
    // 2026-12-01 18:00 in Shanghai: December's second → refused.
    expect(await tote("t3", "2026-12-01T10:00:00Z")).toBe("limit_reached quantity");
  });

  it("10 concurrent SVIP-card orders by one member stack one after another: one card of 120 months, 10 purchases, 100,000 points", async () => {
    const db = database.db;
    // 100 welcome + ¥100,000 × 1 (basic, the 10th) = 100,100 points.
    await send(ev("r-F", "member.registered", "2026-11-01T10:00:00+08:00", "F", {}), ev("o-F1", "order.paid", "2026-11-10T10:00:00+08:00", "F", { orderId: "OF1", amount: 10_000_000 }));
    const now = new Date("2026-11-20T04:00:00Z");
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => outcome(placeOrder(db, merchantId, "F", mallOrderInput.parse({ id: `f${i}`, itemId: "svip_card" }), { now }))));
    expect(results).toEqual(Array(10).fill("ok"));
    expect(await pointsTotals(db, merchantId, "F")).toEqual({ balance: 100, lots: 100, ledger: 100 });
    // 2026-11-20 12:00 Shanghai + 10 × 12 months.
    expect((await memberView(db, merchantId, "F")).memberships).toEqual([{ plan: "svip", startsAt: "2026-11-20T04:00:00.000Z", endsAt: "2036-11-20T04:00:00.000Z" }]);
    const ends = (await purchases("F")).map((p) => p[2]).sort();
    expect(new Set(ends).size).toBe(10);
  });

  it("bad input: field-level errors, nothing changed", async () => {
    const before = await purchases("A");
    const res = await send(
      ev("x1", "membership.purchased", "2026-10-05T09:00:00+08:00", "A", { purchaseId: "X1", plan: "gold_card", amount: 100 }),
      ev("x2", "membership.purchased", "2026-10-05T09:00:00+08:00", "A", { purchaseId: "A2", plan: "svip", amount: 100 }),
      ev("x3", "membership.purchased", "2026-10-05T09:00:00+08:00", "A", { purchaseId: "X3", plan: "svip", amount: -1 }),
      ev("x4", "membership.refunded", "2026-10-05T09:00:00+08:00", "A", { purchaseId: "nope" }),
      ev("x5", "membership.refunded", "2026-10-05T09:00:00+08:00", "A", { purchaseId: "A1" }),
      ev("x6", "membership.refunded", "2026-10-05T09:00:00+08:00", "A", { purchaseId: "B1" }),
      ev("x7", "membership.purchased", "2026-10-05T09:00:00+08:00", "nobody", { purchaseId: "X7", plan: "svip", amount: 100 }),
    );
    expect(res.map((r) => [r.status, r.error?.code, r.error?.issues?.map((i) => i.path).join(",")])).toEqual([
      ["rejected", "validation_failed", "data.plan"],
      ["rejected", "conflict", "data.purchaseId"],
      ["rejected", "validation_failed", "data.amount"],
      ["rejected", "not_found", "data.purchaseId"],
      ["rejected", "conflict", "data.purchaseId"],
      ["rejected", "not_found", "data.purchaseId"],
      ["rejected", "not_found", "memberId"],
    ]);
    expect(await purchases("A")).toEqual(before);
  });

  it("the program save refuses to remove a right or a plan an active mall item uses, naming the item; nothing changes", async () => {
    const db = database.db;
    const owner: Actor = { kind: "user", userId: "u1", merchantId, role: "owner", email: "owner@example.com", name: "Owner" };
    const mugRight = { code: "mug_coupon", name: { zh: "马克杯券", en: "Mug coupon" }, kind: "gift", cadence: "once", group: "base", unitCost: 500 } as const;
    await replaceProgram(db, merchantId, { ...demoProgram, rights: [...demoProgram.rights, mugRight] }, owner);
    await saveItem(db, merchantId, { itemId: "mug", name: "马克杯", nameEn: "Mug", kind: "right", right: "mug_coupon", points: 300 }, owner, "create");
    const versions = (await listVersions(db, merchantId)).length;
    const refusal = async (p: unknown) => {
      try {
        await replaceProgram(db, merchantId, p, owner);
        return null;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        return [e.code, ...e.issues.map((i) => `${i.path}: ${i.message}`)];
      }
    };
    expect(await refusal(demoProgram)).toEqual([
      "validation_failed",
      'rights: the right "mug_coupon" is used by the active mall item mug (马克杯): deactivate or change that item first',
    ]);
    expect(await refusal({ ...demoProgram, rights: [...demoProgram.rights, mugRight], plans: [] })).toEqual([
      "validation_failed",
      'plans: the plan "svip" is used by the active mall item svip_card (年卡 SVIP): deactivate or change that item first',
    ]);
    expect((await listVersions(db, merchantId)).length).toBe(versions);
    // Once the item is inactive the right may go.
    await saveItem(db, merchantId, { itemId: "mug", name: "马克杯", nameEn: "Mug", kind: "right", right: "mug_coupon", points: 300, active: false }, owner, "update");
    expect(await refusal(demoProgram)).toBeNull();
  });
});

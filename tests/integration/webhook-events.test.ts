import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import type { Database, Db } from "@/db/client";
import { domainEvents, pointsLots, rightInstances, webhookDeliveries } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { confirmHold, createHold } from "@/lib/checkout/holds";
import { Batch } from "@/lib/engine/batch";
import { applyEvent } from "@/lib/engine/apply";
import { loadMembers } from "@/lib/engine/load";
import { ingestEvents, parseEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { writeBatch } from "@/lib/engine/write";
import { JobRunner } from "@/lib/jobs/runner";
import { jobHandlers } from "@/lib/jobs/background";
import { grantRight, setTierManually } from "@/lib/members/operator-actions";
import { redeemPoints } from "@/lib/members/points-ops";
import { currentProgram } from "@/lib/program/store";
import { webhookEventTypes, type WebhookEventType } from "@/lib/schemas/webhooks";
import { webhookEventData } from "@/lib/schemas/webhook-events";
import { createMerchant } from "@/lib/tenancy/merchants";
import { saveItem } from "@/lib/mall/items";
import { cancelOrder, placeOrder } from "@/lib/mall/orders";
import { mallOrderInput } from "@/lib/schemas/mall";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { testDatabases } from "../db";

/** A shop's receiver on 127.0.0.1 that answers 200 and keeps every request. */
const received: { headers: Record<string, string>; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push({ headers: req.headers as Record<string, string>, body });
    // No keep-alive: a connection reused as this server closes it idle would fail an attempt (retried later, but not in this test's time).
    res.writeHead(200, { connection: "close" }).end("ok");
  });
});
let receiverUrl = "";
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const owner: Actor = { kind: "user", userId: "u1", merchantId: "", role: "owner", email: "owner@shop.test", name: "Owner" };
const domainTypes = webhookEventTypes.filter((t) => t !== "message.queued");

describe.each(testDatabases)("domain events for webhooks on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    db = database.db;
    merchantId = (await createMerchant(db, { slug: "events", name: "Events", demoProgram: true })).id;
  });
  afterAll(() => database.close());

  const rows = async (type?: string) =>
    (
      await db
        .select({ type: domainEvents.type, memberId: domainEvents.memberId, data: domainEvents.data })
        .from(domainEvents)
        .where(and(eq(domainEvents.merchantId, merchantId), type ? eq(domainEvents.type, type) : undefined))
        .orderBy(asc(domainEvents.id))
    ).map((r) => ({ ...r, data: r.data as Record<string, unknown> }));
  const grantOf = async (memberId: string, rightCode: string) =>
    (await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, memberId), eq(rightInstances.rightCode, rightCode))))[0];

  it("writes nothing while no endpoint takes a type", async () => {
    await ingestEvents(db, merchantId, [{ id: "r0", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "M0", data: {} }]);
    expect(await rows()).toEqual([]);
  });

  it("emits every type of api.md from the transaction of its change, with its documented data", async () => {
    await createWebhookEndpoint(db, merchantId, { url: receiverUrl, types: [...webhookEventTypes] }, null);
    received.length = 0;

    // Registrations: member.registered, and the demo's welcome pack (a ¥10 coupon, 100 bonus points).
    await ingestEvents(db, merchantId, [
      { id: "r1", type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "M1", data: { name: "张三" } },
      { id: "r2", type: "member.registered", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "M2", data: {} },
    ]);
    expect(await rows("member.registered")).toEqual([
      { type: "member.registered", memberId: "M1", data: { memberId: "M1", tierCode: "basic", referrerId: null, registeredAt: "2026-03-01T02:00:00.000Z", trialUntil: null } },
      { type: "member.registered", memberId: "M2", data: { memberId: "M2", tierCode: "basic", referrerId: null, registeredAt: "2026-03-02T02:00:00.000Z", trialUntil: null } },
    ]);
    const welcome = await grantOf("M1", "coupon_10");
    expect((await rows("right.issued"))[0]).toEqual({
      type: "right.issued",
      memberId: "M1",
      // The code is given by the database as the row is written: the fan-out fills it in (checked below).
      data: { memberId: "M1", grantId: welcome.grantId, rightCode: "coupon_10", code: null, tierCode: null, value: null, unitCost: 1000, source: "auto:welcome_pack:M1:registered:0", issuedAt: "2026-03-01T02:00:00.000Z", expiresAt: "2026-03-31T02:00:00.000Z" },
    });

    // A ¥1,000 order: 1,000 points (1/yuan × 100% × 100%), 1,000 growth → silver.
    await ingestEvents(db, merchantId, [
      { id: "o1", type: "order.paid", occurredAt: "2026-03-10T10:00:00+08:00", memberId: "M1", data: { orderId: "O1", amount: 100000 } },
      { id: "c2", type: "member.checked_in", occurredAt: "2026-03-03T10:00:00+08:00", memberId: "M2", data: {} },
      { id: "t1", type: "wallet.topped_up", occurredAt: "2026-03-10T11:00:00+08:00", memberId: "M1", data: { topUpId: "T1", amount: 50000 } },
      { id: "u1", type: "right.redeemed", occurredAt: "2026-03-10T12:00:00+08:00", memberId: "M1", data: { grantId: welcome.grantId } },
    ]);
    const earned = (await rows("points.earned")).map((r) => r.data);
    expect(earned).toEqual([
      { memberId: "M1", points: 100, delta: 100, debtDelta: 0, kind: "bonus", rule: "automation:welcome_pack", source: "auto:welcome_pack:M1:registered:1", reason: "automation New-member pack: bonus points", occurredAt: "2026-03-01T02:00:00.000Z", businessDate: "2026-03-01", balance: 100 },
      { memberId: "M2", points: 100, delta: 100, debtDelta: 0, kind: "bonus", rule: "automation:welcome_pack", source: "auto:welcome_pack:M2:registered:1", reason: "automation New-member pack: bonus points", occurredAt: "2026-03-02T02:00:00.000Z", businessDate: "2026-03-02", balance: 100 },
      expect.objectContaining({ memberId: "M1", points: 1000, delta: 1000, kind: "earn", rule: "order", source: "ev:o1:order", businessDate: "2026-03-10", balance: 1100 }),
      expect.objectContaining({ memberId: "M2", points: 10, delta: 10, kind: "earn", rule: "checkin", businessDate: "2026-03-03", balance: 110 }),
    ]);
    expect((await rows("member.tier_changed")).map((r) => r.data)).toEqual([
      { memberId: "M1", fromTier: "basic", toTier: "silver", direction: "up", reason: expect.stringMatching(/^upgraded/), changedAt: "2026-03-10T02:00:00.000Z", businessDate: "2026-03-10" },
    ]);
    expect((await rows("wallet.changed")).map((r) => r.data)).toEqual([
      { memberId: "M1", change: "top_up", source: "topup:T1", principal: 50000, bonus: 5000, amount: 55000, principalAfter: 50000, bonusAfter: 5000, balance: 55000, at: "2026-03-10T03:00:00.000Z", businessDate: "2026-03-10" },
    ]);
    expect((await rows("right.redeemed")).map((r) => r.data)).toEqual([
      { memberId: "M1", grantId: welcome.grantId, rightCode: "coupon_10", code: welcome.code, redeemedAt: "2026-03-10T04:00:00.000Z", via: "event", holdId: null },
    ]);

    // An operator's redemption of 300 points and a manual tier change.
    await redeemPoints(db, merchantId, "M1", { id: "R1", points: 300, reason: "gift" });
    const spent = (await rows("points.spent")).map((r) => r.data);
    expect(spent).toEqual([expect.objectContaining({ memberId: "M1", points: 300, delta: -300, debtDelta: 0, kind: "spend", rule: "redemption", source: "redemption:R1", balance: 800 })]);
    await setTierManually(db, merchantId, { memberId: "M2", tierCode: "silver", reason: "VIP guest" }, { ...owner, merchantId });
    expect((await rows("member.tier_changed")).map((r) => [r.memberId, r.data.fromTier, r.data.toTier, r.data.direction])).toEqual([
      ["M1", "basic", "silver", "up"],
      ["M2", "basic", "silver", "manual"],
    ]);
    await setTierManually(db, merchantId, { memberId: "M2", tierCode: "basic", reason: "back" }, { ...owner, merchantId });

    // The period job: M2's welcome lot (100) made to expire on 2026-03-11, its check-in lot (10) 30 days after.
    const lot = async (source: string, expiresAt: string) =>
      db.update(pointsLots).set({ expiresAt: new Date(expiresAt) }).where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.source, source)));
    await lot("auto:welcome_pack:M2:registered:1", "2026-03-12T00:00:00+08:00");
    await lot("checkin:M2:2026-03-03", "2026-04-11T00:00:00+08:00");
    await runPeriodJob(db, merchantId, "2026-04-01", { from: "2026-03-11" });
    expect((await rows("points.expired")).map((r) => r.data)).toEqual([
      { memberId: "M2", points: 100, balance: 10, businessDate: "2026-03-11", expiredAt: "2026-03-11T15:59:59.999Z" },
    ]);
    expect((await rows("points.expiring")).map((r) => r.data)).toEqual([
      { memberId: "M2", points: 10, expiresAt: "2026-04-10T16:00:00.000Z", lastDay: "2026-04-10", days: 30, balance: 10, businessDate: "2026-03-11" },
    ]);
    // 2026-04-01: silver's monthly rights for M1 (coupon_90 ×1, tasting ×1), with their codes; M2's win-back coupon (30 days without an order).
    const coupon90 = await grantOf("M1", "coupon_90");
    const tasting = await grantOf("M1", "tasting");
    const issued = (await rows("right.issued")).map((r) => r.data);
    expect(issued.filter((d) => String(d.source).startsWith("monthly:"))).toEqual([
      { memberId: "M1", grantId: coupon90.grantId, rightCode: "coupon_90", code: coupon90.code, tierCode: "silver", value: "9折", unitCost: 1500, source: "monthly:2026-04:coupon_90:M1:1", issuedAt: "2026-03-31T16:00:00.000Z", expiresAt: "2026-04-30T16:00:00.000Z" },
      { memberId: "M1", grantId: tasting.grantId, rightCode: "tasting", code: tasting.code, tierCode: "silver", value: null, unitCost: 1000, source: "monthly:2026-04:tasting:M1:1", issuedAt: "2026-03-31T16:00:00.000Z", expiresAt: "2026-04-30T16:00:00.000Z" },
    ]);
    // (M0, registered on 2026-03-01 without an order, had its win-back on 2026-03-31.)
    expect(issued.filter((d) => d.rightCode === "winback_20").map((d) => [d.memberId, d.source])).toEqual([
      ["M0", "auto:winback:M0:on:2026-03-31:0"],
      ["M2", "auto:winback:M2:on:2026-04-01:0"],
    ]);

    // Checkout, at the real time: a coupon granted by hand, 100 points and ¥10 of stored value, confirmed.
    const now = new Date();
    const { grantId } = await grantRight(db, merchantId, { memberId: "M1", rightCode: "coupon_90", reason: "sorry" }, { ...owner, merchantId });
    const manual = (await rows("right.issued")).at(-1)!;
    expect(manual.data).toMatchObject({ memberId: "M1", grantId, rightCode: "coupon_90", source: expect.stringMatching(/^manual:/), tierCode: "silver" });
    await createHold(db, merchantId, "M1", { id: "H1", orderId: "SO1", amount: 20000, points: 100, grantIds: [grantId], wallet: 1000, ttlSeconds: 900 }, now);
    await confirmHold(db, merchantId, "H1", now);
    expect((await rows("points.spent")).at(-1)!.data).toMatchObject({ memberId: "M1", points: 100, delta: -100, kind: "spend", rule: "checkout", source: "hold:H1", balance: 700 });
    const used = await grantOf("M1", "coupon_90").then(() => db.select().from(rightInstances).where(eq(rightInstances.grantId, grantId)));
    expect((await rows("right.redeemed")).at(-1)!.data).toEqual({ memberId: "M1", grantId, rightCode: "coupon_90", code: used[0].code, redeemedAt: now.toISOString(), via: "checkout", holdId: "H1" });
    // ¥10 from principal 50,000 and bonus 5,000 in proportion: floor(1000 × 50000 / 55000) = 909 principal, 91 bonus.
    expect((await rows("wallet.changed")).at(-1)!.data).toMatchObject({ memberId: "M1", change: "spend", source: "hold:H1", principal: -909, bonus: -91, amount: -1000, principalAfter: 49091, bonusAfter: 4909, balance: 54000 });

    // A hold left to lapse: the fan-out notices it once its expiresAt has passed.
    await createHold(db, merchantId, "M1", { id: "H2", orderId: "SO2", amount: 10000, points: 100, grantIds: [], wallet: 0, ttlSeconds: 60 }, now);

    // The points mall: an order of a 200-point coupon item spends and issues; its cancel gives the points back.
    await saveItem(db, merchantId, { itemId: "coupon_item", name: "十元券", nameEn: "¥10 coupon", kind: "right", right: "coupon_10", points: 200 }, null, "create", now);
    await placeOrder(db, merchantId, "M1", mallOrderInput.parse({ id: "MO1", itemId: "coupon_item", quantity: 1 }), { now });
    expect((await rows("points.spent")).at(-1)!.data).toMatchObject({ memberId: "M1", points: 200, delta: -200, kind: "spend", rule: "mall", source: "mall:MO1", balance: 500 });
    expect((await rows("right.issued")).at(-1)!.data).toMatchObject({ memberId: "M1", rightCode: "coupon_10", source: "mall:MO1:0" });
    await cancelOrder(db, merchantId, "MO1", { now });
    expect((await rows("points.earned")).at(-1)!.data).toMatchObject({ memberId: "M1", points: 200, delta: 200, kind: "spend", rule: "mall", source: "mall-cancel:MO1", balance: 700 });
    let clock = now.getTime() + 30_000;
    const runner = new JobRunner({ db, handlers: jobHandlers, now: () => new Date(clock), concurrency: 2 });
    await runner.drain();
    expect(await rows("hold.expired")).toEqual([]);
    clock = now.getTime() + 61_000;
    await runner.drain();
    clock += 1_000;
    await runner.drain();
    expect((await rows("hold.expired")).map((r) => r.data)).toEqual([
      { memberId: "M1", holdId: "H2", orderId: "SO2", points: 100, wallet: 0, grantIds: [], expiresAt: new Date(now.getTime() + 60_000).toISOString() },
    ]);

    // Every type of api.md but the paid-membership ones (another feature's, through b.emit) has been emitted, and delivered.
    const seen = new Set((await rows()).map((r) => r.type));
    expect(domainTypes.filter((t) => !seen.has(t))).toEqual(["membership.started", "membership.ended"]);
    const deliveries = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, merchantId));
    expect(deliveries.filter((d) => d.type !== "message.queued")).toHaveLength((await rows()).length);
    expect(deliveries.every((d) => d.state === "delivered")).toBe(true);
    const welcomeDelivery = deliveries.find((d) => (d.body as { data: { grantId?: string } }).data.grantId === welcome.grantId && d.type === "right.issued");
    expect((welcomeDelivery?.body as { data: { code: string } }).data.code).toBe(welcome.code);
    expect(received.map((r) => JSON.parse(r.body).type).filter((t) => t === "hold.expired")).toHaveLength(1);
    // Each body's data is what docs/webhooks.md and the OpenAPI document say (strict: no field more, none missing).
    for (const r of received) {
      const body = JSON.parse(r.body) as { type: WebhookEventType; data: unknown };
      expect([body.type, webhookEventData[body.type].safeParse(body.data).error?.issues ?? null]).toEqual([body.type, null]);
    }
  });

  it("gives b.emit for events no batch row implies (membership.started / membership.ended), written with the batch", async () => {
    const at = new Date("2026-03-20T02:00:00.000Z");
    await db.transaction(async (tx) => {
      const b = new Batch(merchantId);
      await loadMembers(tx, b, ["M1"]);
      b.emit("membership.started", "M1", { planCode: "plus", startsAt: at.toISOString() }, at);
      await writeBatch(tx, b, []);
    });
    expect((await rows("membership.started")).map((r) => [r.memberId, r.data])).toEqual([["M1", { memberId: "M1", planCode: "plus", startsAt: "2026-03-20T02:00:00.000Z" }]]);
  });

  it("paid membership emits membership.started when a card starts (not when one is extended) and membership.ended when a refund takes its last months", async () => {
    // 年卡 SVIP, 12 months (demo program): bought 2026-03-20 10:00 Shanghai, runs to the same instant a year later.
    await ingestEvents(db, merchantId, [
      { id: "mp1", type: "membership.purchased", occurredAt: "2026-03-20T10:00:00+08:00", memberId: "M2", data: { purchaseId: "P1", plan: "svip", amount: 19900 } },
      { id: "mp2", type: "membership.purchased", occurredAt: "2026-03-21T10:00:00+08:00", memberId: "M2", data: { purchaseId: "P2", plan: "svip", amount: 19900 } },
    ]);
    const mine = async (type: string) => (await rows(type)).filter((r) => r.memberId === "M2").map((r) => r.data);
    expect(await mine("membership.started")).toEqual([
      { memberId: "M2", plan: "svip", purchaseId: "P1", startsAt: "2026-03-20T02:00:00.000Z", endsAt: "2027-03-20T02:00:00.000Z" },
    ]);
    // Refunding the extension leaves the first year running: no end. Refunding the first then ends the card.
    await ingestEvents(db, merchantId, [{ id: "mr2", type: "membership.refunded", occurredAt: "2026-04-01T10:00:00+08:00", memberId: "M2", data: { purchaseId: "P2" } }]);
    expect(await mine("membership.ended")).toEqual([]);
    await ingestEvents(db, merchantId, [{ id: "mr1", type: "membership.refunded", occurredAt: "2026-04-02T10:00:00+08:00", memberId: "M2", data: { purchaseId: "P1" } }]);
    expect(await mine("membership.ended")).toEqual([{ memberId: "M2", plan: "svip", purchaseId: "P1", endedAt: "2026-04-02T02:00:00.000Z", reason: "refunded" }]);
  });

  it("emits nothing for a rolled-back engine batch, nor for a rejected event", async () => {
    const before = (await rows()).length;
    const program = await currentProgram(db, merchantId);
    await expect(
      db.transaction(async (tx) => {
        const b = new Batch(merchantId);
        const [c] = parseEvents([{ id: "r9", type: "member.registered", occurredAt: "2026-03-05T10:00:00+08:00", memberId: "M9", data: {} }]).candidates;
        applyEvent(b, { event: c.event, program, at: c.at, date: "2026-03-05" });
        await writeBatch(tx, b, []);
        // Written inside the transaction (member.registered, the welcome pack's coupon and points) …
        const inside = await tx.select({ type: domainEvents.type }).from(domainEvents).where(and(eq(domainEvents.merchantId, merchantId), eq(domainEvents.memberId, "M9")));
        expect(inside.map((r) => r.type).sort()).toEqual(["member.registered", "points.earned", "right.issued"]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    // … and gone with it. A refund larger than the order: rejected before anything is written.
    await ingestEvents(db, merchantId, [{ id: "x1", type: "order.refunded", occurredAt: "2026-03-12T10:00:00+08:00", memberId: "M1", data: { orderId: "O1", amount: 999999999 } }]);
    expect((await rows()).length).toBe(before);
    expect((await rows()).filter((r) => r.memberId === "M9")).toEqual([]);
  });
});

describe.each(testDatabases)("a points.earned webhook on $name", ({ open }) => {
  it("reaches a receiver on 127.0.0.1 after an order event, signed per Standard Webhooks", async () => {
    const database = await open();
    const db = database.db;
    try {
      const merchantId = (await createMerchant(db, { slug: "earned", name: "Earned", demoProgram: true })).id;
      const { secret } = await createWebhookEndpoint(db, merchantId, { url: receiverUrl, types: ["points.earned"] }, null);
      await ingestEvents(db, merchantId, [
        { id: "r1", type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "E1", data: {} },
        { id: "o1", type: "order.paid", occurredAt: "2026-03-10T10:00:00+08:00", memberId: "E1", data: { orderId: "EO1", amount: 25000 } },
      ]);
      received.length = 0;
      await new JobRunner({ db, handlers: jobHandlers, concurrency: 2 }).drain();
      const states = await db.select({ type: webhookDeliveries.type, state: webhookDeliveries.state, response: webhookDeliveries.lastResponse }).from(webhookDeliveries);
      expect(states).toEqual([
        { type: "points.earned", state: "delivered", response: "ok" },
        { type: "points.earned", state: "delivered", response: "ok" },
      ]);
      // Deliveries run concurrently: in the order of the balance they report.
      const bodies = received
        .map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: Record<string, unknown> })
        .sort((a, b) => Number(a.data.balance) - Number(b.data.balance));
      // The welcome pack's 100 bonus points, then the order's 250 (¥250 × 1/yuan × 100% × 100%): points.earned only.
      expect(bodies.map((b) => [b.type, b.data.points, b.data.kind, b.data.balance])).toEqual([
        ["points.earned", 100, "bonus", 100],
        ["points.earned", 250, "earn", 350],
      ]);
      expect(bodies[1].data).toMatchObject({ memberId: "E1", source: "ev:o1:order", rule: "order", businessDate: "2026-03-10", occurredAt: "2026-03-10T02:00:00.000Z" });
      expect(() => new Webhook(`whsec_${Buffer.from("not the endpoint's secret!").toString("base64")}`).verify(received[0].body, received[0].headers)).toThrow();
    } finally {
      await database.close();
    }
  });
});

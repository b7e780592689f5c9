import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { members, outbox, pointsLedger, tierHistory } from "@/db/schema";
import { setTierManually } from "@/lib/members/operator-actions";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { testDatabases } from "../db";

describe.each(testDatabases)("engine on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "eng", name: "Engine", demoProgram: true })).id;
  });
  afterAll(() => database.close());

  it("registers, earns on an order on the 18th as gold, and upgrades at ¥1,000", async () => {
    const db = database.db;
    const res = await ingestEvents(db, merchantId, [
      { id: "r1", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "M1", data: { name: "张三", birthday: "1990-07-15" } },
      // ¥1,000 paid on March 2nd (no campaign): 1,000 points, growth 1,000 → silver.
      { id: "o1", type: "order.paid", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "M1", data: { orderId: "O1", amount: 100000 } },
    ]);
    expect(res.map((r) => r.status)).toEqual(["applied", "applied"]);
    const [m] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, "M1")));
    expect(m.tierCode).toBe("silver");
    // 100 welcome points (automation) + 1,000 order points.
    expect(m.pointsBalance).toBe(1100);
    expect(m.growth).toBe(1000);
    const hist = await db.select().from(tierHistory).where(eq(tierHistory.merchantId, merchantId)).orderBy(tierHistory.id);
    expect(hist.map((h) => `${h.fromTier}->${h.toTier}`)).toEqual(["null->basic", "basic->silver"]);
    const ledger = await db.select().from(pointsLedger).where(eq(pointsLedger.merchantId, merchantId));
    expect(ledger.reduce((s, r) => s + r.delta, 0)).toBe(1100);
  });

  it("fires an upgrade automation once per tier and day, also across batches", async () => {
    const db = database.db;
    const order = (id: string, hour: number, amount: number) => ({ id, type: "order.paid", occurredAt: `2026-03-10T${hour}:00:00+08:00`, memberId: "M2", data: { orderId: id, amount } });
    await ingestEvents(db, merchantId, [{ id: "r2", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "M2", data: {} }]);
    // ¥1,000 → silver at 10:00: the demo's upgrade_welcome automation sends one tier_upgraded message.
    expect((await ingestEvents(db, merchantId, [order("o2a", 10, 100000)]))[0].status).toBe("applied");
    // An operator puts the member back in basic; a ¥1 order the same day upgrades them to silver again
    // (their growth still qualifies): the same occasion (silver, 2026-03-10), so no second message.
    await setTierManually(db, merchantId, { memberId: "M2", tierCode: "basic", reason: "test" }, { kind: "api_key", keyId: "k", merchantId, prefix: "mk_test" });
    expect((await ingestEvents(db, merchantId, [order("o2b", 11, 100)]))[0].status).toBe("applied");
    const hist = await db.select().from(tierHistory).where(and(eq(tierHistory.merchantId, merchantId), eq(tierHistory.memberId, "M2"))).orderBy(tierHistory.id);
    expect(hist.map((h) => `${h.fromTier}->${h.toTier}`)).toEqual(["null->basic", "basic->silver", "silver->basic", "basic->silver"]);
    const msgs = await db.select().from(outbox).where(and(eq(outbox.merchantId, merchantId), eq(outbox.memberId, "M2"), eq(outbox.template, "tier_upgraded")));
    expect(msgs).toHaveLength(1);
  });
});

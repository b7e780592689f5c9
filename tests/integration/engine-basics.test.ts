import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { members, pointsLedger, tierHistory } from "@/db/schema";
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
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { auditLog, members, programVersions, tierHistory } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { demoProgram } from "@/lib/program/demo-program";
import { currentProgram, loadProgramVersion, saveProgram, toExport } from "@/lib/program/store";
import { replaceProgram } from "@/lib/program/update-program";
import type { ProgramInput } from "@/lib/schemas/program";
import { testDatabases } from "../db";

// Each tier keeps its members by its own rule (demo thresholds: growth ≥ 1,000 / 5,000 / 20,000, lifetime):
// silver re-qualifies every 6 months, gold falls one tier after 3 months without a paid order,
// diamond never falls. No campaigns and no automations, so no date is special.
const perTier: ProgramInput = {
  ...demoProgram,
  campaigns: [],
  automations: [],
  tiers: demoProgram.tiers.map((t) => ({
    ...t,
    retention:
      t.code === "silver" ? { kind: "requalify", months: 6 } : t.code === "gold" ? { kind: "inactivity", months: 3 } : { kind: "none" },
  })),
};

let slugs = 0;
const reg = (id: string) => ({ id: `reg-${id}`, type: "member.registered", occurredAt: "2026-01-02T09:00:00+08:00", memberId: id, data: {} });
const paid = (id: string, member: string, at: string, amount: number) => ({ id, type: "order.paid", occurredAt: at, memberId: member, data: { orderId: id, amount } });

async function tiersOf(db: Db, merchantId: string) {
  const rows = await db.select({ id: members.memberId, tier: members.tierCode }).from(members).where(eq(members.merchantId, merchantId)).orderBy(members.memberId);
  return Object.fromEntries(rows.map((r) => [r.id, r.tier]));
}
async function history(db: Db, merchantId: string, id: string) {
  const rows = await db.select().from(tierHistory).where(and(eq(tierHistory.merchantId, merchantId), eq(tierHistory.memberId, id))).orderBy(asc(tierHistory.id));
  return rows.map((r) => [r.direction, r.toTier, r.businessDate]);
}

describe.each(testDatabases)("per-tier retention rules in the period job on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("downgrades each member by the rule of the tier they are in", async () => {
    const m = (await createMerchant(db, { slug: `ret-${++slugs}`, name: "R" })).id;
    await saveProgram(db, m, perTier);
    const r = await ingestEvents(db, m, [
      reg("D"),
      reg("G"),
      reg("S"),
      // 1 growth per yuan. D: ¥20,000 → 20,000 → diamond. G: ¥6,000 → 6,000 → gold. S: ¥1,200 → 1,200 → silver.
      paid("d1", "D", "2026-01-10T10:00:00+08:00", 2_000_000),
      paid("g1", "G", "2026-01-10T10:00:00+08:00", 600_000),
      paid("s1", "S", "2026-01-10T10:00:00+08:00", 120_000),
      // S gives back ¥500 of ¥1,200: growth clawed back pro rata, 1,200 × 500 / 1,200 = 500 → 700, below silver's 1,000.
      { id: "s1-refund", type: "order.refunded", occurredAt: "2026-02-01T10:00:00+08:00", memberId: "S", data: { orderId: "s1", amount: 50_000 } },
    ]);
    expect(r.filter((x) => x.status !== "applied")).toEqual([]);
    // A refund does not downgrade by itself: only the period job does, by the tier's rule.
    expect(await tiersOf(db, m)).toEqual({ D: "diamond", G: "gold", S: "silver" });

    // On day d a k-month rule looks at the start of (d − k months) + 1 day, Beijing time.
    // 2026-04-09: gold's cutoff is 2026-01-10 00:00; G's last order, 01-10 10:00, is not before it.
    await runPeriodJob(db, m, "2026-04-09");
    expect(await tiersOf(db, m)).toEqual({ D: "diamond", G: "gold", S: "silver" });

    // 2026-04-10: gold's cutoff is 2026-01-11 00:00 > 01-10 10:00 → G down one tier, to silver.
    // S (silver, last order the same day as G) stays: silver's rule is not "3 months without an order".
    await runPeriodJob(db, m, "2026-04-10");
    expect(await tiersOf(db, m)).toEqual({ D: "diamond", G: "silver", S: "silver" });

    // 2026-07-09: silver's 6-month cutoff is 2026-01-10 00:00; S is silver since 01-10 10:00, not before → no check yet.
    await runPeriodJob(db, m, "2026-07-09");
    expect(await tiersOf(db, m)).toEqual({ D: "diamond", G: "silver", S: "silver" });

    // 2026-07-10: cutoff 2026-01-11 00:00. S re-qualifies: growth 700 < 1,000 → the highest tier met is basic.
    // G is silver only since 2026-04-10 (its first check is 2026-10-10), though it has had no order for 6 months:
    // under gold's rule it would have fallen again on 2026-07-10 (tier since 04-10 < 04-11 00:00).
    // D (diamond, no rule) keeps its tier six months without an order.
    await runPeriodJob(db, m, "2026-07-10");
    expect(await tiersOf(db, m)).toEqual({ D: "diamond", G: "silver", S: "basic" });

    // 2026-10-10: G's first silver check (cutoff 2026-04-11 00:00 > silver since 04-10 23:59:59.999):
    // lifetime growth 6,000 ≥ 1,000 → re-qualified, stays silver.
    await runPeriodJob(db, m, "2026-10-10");
    expect(await tiersOf(db, m)).toEqual({ D: "diamond", G: "silver", S: "basic" });

    expect(await history(db, m, "G")).toEqual([
      ["initial", "basic", "2026-01-02"],
      ["up", "gold", "2026-01-10"],
      ["down", "silver", "2026-04-10"],
    ]);
    expect(await history(db, m, "S")).toEqual([
      ["initial", "basic", "2026-01-02"],
      ["up", "silver", "2026-01-10"],
      ["down", "basic", "2026-07-10"],
    ]);
    const [down] = await db.select().from(tierHistory).where(and(eq(tierHistory.merchantId, m), eq(tierHistory.memberId, "S"), eq(tierHistory.direction, "down")));
    expect(down.reason).toMatch(/^re-qualification/);
    expect(await history(db, m, "D")).toEqual([
      ["initial", "basic", "2026-01-02"],
      ["up", "diamond", "2026-01-10"],
    ]);
  });

  it("a version stored with one rule for all tiers still applies it to every tier above the entry tier", async () => {
    const m = (await createMerchant(db, { slug: `ret-${++slugs}`, name: "R" })).id;
    await saveProgram(db, m, perTier);
    // What a version written before per-tier rules holds.
    await db.update(programVersions).set({ retention: sql`'{"kind":"inactivity","months":2}'::jsonb` }).where(eq(programVersions.merchantId, m));
    const p = await loadProgramVersion(db, m, 1);
    expect(p.tiers.map((t) => t.retention)).toEqual([
      { kind: "none" },
      { kind: "inactivity", months: 2 },
      { kind: "inactivity", months: 2 },
      { kind: "inactivity", months: 2 },
    ]);
    await ingestEvents(db, m, [reg("S"), paid("s1", "S", "2026-01-10T10:00:00+08:00", 120_000)]);
    // 2026-03-10: cutoff 2026-01-11 00:00 > 01-10 10:00 → silver falls to basic after 2 months (a day before, it does not).
    await runPeriodJob(db, m, "2026-03-09");
    expect(await tiersOf(db, m)).toEqual({ S: "silver" });
    await runPeriodJob(db, m, "2026-03-10");
    expect(await tiersOf(db, m)).toEqual({ S: "basic" });
  });

  it("PUT with the old program JSON (one top-level rule) saves per-tier rules; the audit row shows the tier changed", async () => {
    const m = (await createMerchant(db, { slug: `ret-${++slugs}`, name: "R" })).id;
    const actor: Actor = { kind: "user", userId: "u1", merchantId: m, role: "operator", email: "op@test.local", name: "Op" };
    await saveProgram(db, m, perTier);
    const { tiers, ...rest } = structuredClone(toExport(await currentProgram(db, m)));
    const old = { ...rest, tiers: tiers.map(({ retention: _drop, ...t }) => t), retention: { kind: "inactivity", months: 4 } };
    const { version } = await replaceProgram(db, m, old, actor, "old format");
    expect(version).toBe(2);
    const saved = toExport(await currentProgram(db, m));
    expect(saved.tiers.map((t) => [t.code, t.retention])).toEqual([
      ["basic", { kind: "none" }],
      ["silver", { kind: "inactivity", months: 4 }],
      ["gold", { kind: "inactivity", months: 4 }],
      ["diamond", { kind: "inactivity", months: 4 }],
    ]);
    expect("retention" in saved).toBe(false);

    // A bad rule names its field and changes nothing.
    const bad = structuredClone(saved);
    bad.tiers[2].retention = { kind: "inactivity", months: 0 };
    await expect(replaceProgram(db, m, bad, actor)).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "tiers.2.retention.months" }] });
    expect((await currentProgram(db, m)).version).toBe(2);

    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.merchantId, m), eq(auditLog.action, "program.update")));
    const before = JSON.parse(audit.before ?? "{}");
    const after = JSON.parse(audit.after ?? "{}");
    expect([before.tiers[1].retention, after.tiers[1].retention]).toEqual([{ kind: "requalify", months: 6 }, { kind: "inactivity", months: 4 }]);
    expect(after.retention).toBeUndefined();
  });
});

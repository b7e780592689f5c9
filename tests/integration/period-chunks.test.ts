import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { events, members, periodProgress, periodRuns, pointsLedger } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { runPeriodDays } from "@/lib/jobs/period-days";
import { refreshAggregates } from "@/lib/metrics/aggregates";
import { rollupCoverage } from "@/lib/metrics/rollup";
import { distinctCoverage } from "@/lib/metrics/fast-distinct";
import { testDatabases } from "../db";

const reg = (id: string, at: string) => ({ id: `reg-${id}`, type: "member.registered", occurredAt: at, memberId: id, data: {} });
const paid = (id: string, member: string, at: string, amount: number) => ({ id, type: "order.paid", occurredAt: at, memberId: member, data: { orderId: id, amount } });

describe.each(testDatabases)("the period job in chunks of members on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.close());

  const merchant = async (slug: string) => (await createMerchant(database.db, { slug, name: slug, demoProgram: true })).id;
  const ingestOk = async (db: Db, m: string, evs: Record<string, unknown>[]) => {
    const r = await ingestEvents(db, m, evs);
    expect(r.map((x) => x.status)).toEqual(evs.map(() => "applied"));
  };
  const ledgerOf = (m: string, member: string) =>
    database.db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.memberId, member))).orderBy(asc(pointsLedger.id));
  const balances = async (m: string) =>
    Object.fromEntries((await database.db.select().from(members).where(eq(members.merchantId, m)).orderBy(asc(members.memberId))).map((x) => [x.memberId, x.pointsBalance]));
  const six = ["A1", "A2", "A3", "A4", "A5", "A6"];

  it("an event ingested between two chunks of a day is applied and counted once, for a member of a chunk done and of one to come", async () => {
    const db = database.db;
    const m = await merchant("chunks-between");
    // Six members with 100 welcome points each, earned 5 January 2025: they expire with 5 January 2026.
    await ingestOk(db, m, six.map((id) => reg(id, "2025-01-05T09:00:00+08:00")));
    const seen: string[] = [];
    await runPeriodJob(db, m, "2026-01-05", {
      from: "2026-01-05",
      chunkMembers: 2,
      onChunk: async (_date, doneThrough) => {
        seen.push(doneThrough);
        // Between the first two chunks (A1–A2 done, A3–A6 to come): a ¥50 order for A1 and one for A5,
        // each earning 50 points in a lot of their own (expiring in 2027).
        if (seen.length === 1) await ingestOk(db, m, [paid("o-A1", "A1", "2026-01-05T12:00:00+08:00", 5_000), paid("o-A5", "A5", "2026-01-05T12:00:00+08:00", 5_000)]);
      },
    });
    // Chunks: A1–A2, A3–A4, then A5–A6 (the last, which records the day).
    expect(seen).toEqual(["A2", "A4"]);
    // Every welcome lot expired once (−100); the orders' 50 points stay: 100 + 50 − 100.
    expect(await balances(m)).toEqual({ A1: 50, A2: 0, A3: 0, A4: 0, A5: 50, A6: 0 });
    for (const id of ["A1", "A5"]) {
      const rows = await ledgerOf(m, id);
      expect(rows.map((r) => [r.kind, r.delta])).toEqual(id === "A1" ? [["bonus", 100], ["expire", -100], ["earn", 50]] : [["bonus", 100], ["earn", 50], ["expire", -100]]);
    }
    for (const id of ["A2", "A3", "A4", "A6"]) expect((await ledgerOf(m, id)).map((r) => r.delta)).toEqual([100, -100]);
    // The same events again are duplicates: nothing changes.
    const again = await ingestEvents(db, m, [paid("o-A1", "A1", "2026-01-05T12:00:00+08:00", 5_000), paid("o-A5", "A5", "2026-01-05T12:00:00+08:00", 5_000)]);
    expect(again.map((r) => r.status)).toEqual(["duplicate", "duplicate"]);
    expect((await db.select().from(events).where(and(eq(events.merchantId, m), eq(events.type, "order.paid")))).length).toBe(2);
    expect(await balances(m)).toEqual({ A1: 50, A2: 0, A3: 0, A4: 0, A5: 50, A6: 0 });
    // The day is recorded as run, and its progress row is gone.
    expect((await db.select().from(periodRuns).where(eq(periodRuns.merchantId, m))).map((r) => r.businessDate)).toEqual(["2026-01-05"]);
    expect(await db.select().from(periodProgress).where(eq(periodProgress.merchantId, m))).toEqual([]);
  });

  it("a day stopped by a crash after its first chunk resumes after it: every expiry once", async () => {
    const db = database.db;
    const m = await merchant("chunks-crash");
    await ingestOk(db, m, six.map((id) => reg(id, "2025-01-05T09:00:00+08:00")));
    const crash = runPeriodJob(db, m, "2026-01-05", {
      from: "2026-01-05",
      chunkMembers: 2,
      onChunk: () => {
        throw new Error("killed");
      },
    });
    await expect(crash).rejects.toThrow("killed");
    // A1–A2 committed and recorded; the day has not run.
    expect((await db.select().from(periodProgress).where(eq(periodProgress.merchantId, m))).map((r) => [r.businessDate, r.doneThrough])).toEqual([["2026-01-05", "A2"]]);
    expect(await db.select().from(periodRuns).where(eq(periodRuns.merchantId, m))).toEqual([]);
    expect(await balances(m)).toEqual({ A1: 0, A2: 0, A3: 100, A4: 100, A5: 100, A6: 100 });
    const seen: string[] = [];
    expect((await runPeriodJob(db, m, "2026-01-05", { from: "2026-01-05", chunkMembers: 2, onChunk: (_d, t) => void seen.push(t) })).daysRun).toEqual(["2026-01-05"]);
    // Resumed after A2: chunks A3–A4, then A5–A6.
    expect(seen).toEqual(["A4"]);
    expect(await balances(m)).toEqual({ A1: 0, A2: 0, A3: 0, A4: 0, A5: 0, A6: 0 });
    for (const id of six) expect((await ledgerOf(m, id)).map((r) => [r.kind, r.delta])).toEqual([["bonus", 100], ["expire", -100]]);
    expect(await db.select().from(periodProgress).where(eq(periodProgress.merchantId, m))).toEqual([]);
  });

  it("RFM quintiles over all members come out as ntile(5) would, though each chunk scores only its own members", async () => {
    const db = database.db;
    const m = await merchant("chunks-rfm");
    const ks = [1, 2, 3, 4, 5, 6, 7];
    await ingestOk(db, m, ks.map((i) => reg(`K${i}`, "2026-01-02T09:00:00+08:00")));
    // Ki pays once, on 10 + i January, ¥(8 − i)0: recency rises with i, money falls with i.
    await ingestOk(db, m, ks.map((i) => paid(`k${i}`, `K${i}`, `2026-01-${10 + i}T10:00:00+08:00`, (8 - i) * 1_000)));
    // 31 January closes the month: lifecycle and RFM are refreshed. Chunks of 2 members: K1–K2, K3–K4, K5–K6, K7.
    await runPeriodJob(db, m, "2026-01-31", { from: "2026-01-31", chunkMembers: 2 });
    const rows = await db.select().from(members).where(eq(members.merchantId, m)).orderBy(asc(members.memberId));
    // 7 members in 5 quintiles: sizes 2, 2, 1, 1, 1. Recency (oldest first) and frequency (all 1, then
    // by id) both order K1…K7: 1, 1, 2, 2, 3, 4, 5. Money (smallest first) orders K7…K1.
    expect(rows.map((r) => [r.memberId, r.rfmR, r.rfmF, r.rfmM])).toEqual([
      ["K1", 1, 1, 5],
      ["K2", 1, 1, 4],
      ["K3", 2, 2, 3],
      ["K4", 2, 2, 2],
      ["K5", 3, 3, 2],
      ["K6", 4, 4, 1],
      ["K7", 5, 5, 1],
    ]);
  });

  it("the day is added to the KPI aggregates outside the merchant's lock; an event of that day arriving meanwhile marks it stale again", async () => {
    const db = database.db;
    const quiet = await merchant("chunks-agg-quiet");
    const busy = await merchant("chunks-agg-busy");
    for (const m of [quiet, busy]) {
      await ingestOk(db, m, [reg("M", "2026-03-01T09:00:00+08:00"), paid("o1", "M", "2026-03-02T10:00:00+08:00", 10_000)]);
      await refreshAggregates(db, m, "2026-03-01", "2026-03-31");
      await db.insert(periodRuns).values([{ merchantId: m, businessDate: "2026-03-31" }]);
    }
    // Nothing arrives: 1 April is added.
    await runPeriodJob(db, quiet, "2026-04-01", { from: "2026-04-01", chunkMembers: 1 });
    expect((await rollupCoverage(db, quiet))?.throughDate).toBe("2026-04-01");
    expect((await distinctCoverage(db, quiet))?.throughDate).toBe("2026-04-01");
    // An order of 1 April lands as the extension starts: the aggregates end on 31 March again.
    await runPeriodJob(db, busy, "2026-04-01", {
      from: "2026-04-01",
      chunkMembers: 1,
      onExtending: () => ingestOk(db, busy, [paid("o2", "M", "2026-04-01T15:00:00+08:00", 7_000)]),
    });
    expect((await rollupCoverage(db, busy))?.throughDate).toBe("2026-03-31");
    expect((await distinctCoverage(db, busy))?.throughDate).toBe("2026-03-31");
  });

  it("a stopping server (SIGTERM) stops the period job after the chunk in flight; the next run resumes the day there", async () => {
    const db = database.db;
    const m = await merchant("chunks-sigterm");
    await ingestOk(db, m, six.map((id) => reg(id, "2025-01-05T09:00:00+08:00")));
    const was = process.env.PERIOD_CHUNK_MEMBERS;
    process.env.PERIOD_CHUNK_MEMBERS = "2";
    try {
      const stopping = new AbortController();
      stopping.abort();
      const stopped = await runPeriodDays(db, m, { asOf: "2026-01-05", from: "2026-01-05", trigger: "schedule", timeZone: "Asia/Shanghai", signal: stopping.signal });
      expect(stopped).toMatchObject({ stopped: true, days: [] });
      expect((await db.select().from(periodProgress).where(eq(periodProgress.merchantId, m))).map((r) => r.doneThrough)).toEqual(["A2"]);
      expect(await balances(m)).toEqual({ A1: 0, A2: 0, A3: 100, A4: 100, A5: 100, A6: 100 });
      const resumed = await runPeriodDays(db, m, { asOf: "2026-01-05", from: "2026-01-05", trigger: "schedule", timeZone: "Asia/Shanghai" });
      expect(resumed.stopped).toBe(false);
      // The day's report counts all its expiries: 6 × 100, A1–A2 by the stopped run, A3–A6 by this one.
      expect(resumed.days.map((d) => [d.businessDate, d.expiredPoints])).toEqual([["2026-01-05", 600]]);
      expect(await balances(m)).toEqual({ A1: 0, A2: 0, A3: 0, A4: 0, A5: 0, A6: 0 });
    } finally {
      if (was === undefined) delete process.env.PERIOD_CHUNK_MEMBERS;
      else process.env.PERIOD_CHUNK_MEMBERS = was;
    }
  });
});

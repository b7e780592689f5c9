import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, jobs, periodDayReports, periodRuns } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import { ingestEvents } from "@/lib/engine/ingest";
import { jobHandlers } from "@/lib/jobs/background";
import { JobRunner } from "@/lib/jobs/runner";
import { setGoLiveDate } from "@/lib/jobs/period-days";
import { ensurePeriodSchedules, periodScheduleHandler, requestPeriodRun } from "@/lib/jobs/period-schedule";
import { AppError } from "@/lib/errors";
import { testDatabases } from "../db";

describe.each(testDatabases)("the period job's schedule on $name", ({ open }) => {
  let database: Database;
  let shanghai: string;
  let losAngeles: string;
  let now = Date.parse("2026-03-01T10:00:00Z");
  let runner: JobRunner;

  const ran = async (merchantId: string) =>
    (await database.db.select().from(periodRuns).where(eq(periodRuns.merchantId, merchantId)).orderBy(asc(periodRuns.businessDate))).map((r) => r.businessDate);
  const scheduleAt = async (merchantId: string) =>
    (await database.db.select().from(jobs).where(and(eq(jobs.merchantId, merchantId), eq(jobs.kind, "period.schedule"))))[0].runAt.toISOString();

  beforeAll(async () => {
    database = await open();
    const db = database.db;
    shanghai = (await createMerchant(db, { slug: "sh", name: "上海", demoProgram: true })).id;
    losAngeles = (await createMerchant(db, { slug: "la", name: "LA" })).id;
    await saveProgram(db, losAngeles, { ...demoProgram, timeZone: "America/Los_Angeles" });
    for (const m of [shanghai, losAngeles]) await setGoLiveDate(db, m, "2026-03-01");
    // History before the go-live date: a silver member (¥1,000 on 20 February) born in March.
    for (const m of [shanghai, losAngeles])
      await ingestEvents(db, m, [
        { id: "r1", type: "member.registered", occurredAt: "2026-02-20T09:00:00Z", memberId: "S1", data: { birthday: "1990-03-15" } },
        { id: "o1", type: "order.paid", occurredAt: "2026-02-20T10:00:00Z", memberId: "S1", data: { orderId: "O1", amount: 100000 } },
      ]);
    runner = new JobRunner({ db, handlers: jobHandlers, now: () => new Date(now) });
    await ensurePeriodSchedules(db, new Date(now));
  });
  afterAll(() => database.close());

  it("waits for the end of the go-live day in each merchant's time zone", async () => {
    // 10:00 UTC on 1 March: 18:00 in Shanghai, 02:00 in Los Angeles; no day since go-live has ended.
    expect(await runner.drain()).toBe(2);
    expect(await ran(shanghai)).toEqual([]);
    expect(await ran(losAngeles)).toEqual([]);
    // Shanghai's 1 March ends at 16:00 UTC (UTC+8), Los Angeles's at 08:00 UTC on 2 March (PST, UTC−8); plus a minute.
    expect(await scheduleAt(shanghai)).toBe("2026-03-01T16:01:00.000Z");
    expect(await scheduleAt(losAngeles)).toBe("2026-03-02T08:01:00.000Z");
  });

  it("runs Shanghai's 1 March right after its midnight, and Los Angeles's after its own", async () => {
    now = Date.parse("2026-03-01T16:00:59Z");
    expect(await runner.drain()).toBe(0);
    now = Date.parse("2026-03-01T16:01:00Z");
    expect(await runner.drain()).toBe(1);
    // The history before go-live (20–28 February) is not run by the schedule.
    expect(await ran(shanghai)).toEqual(["2026-03-01"]);
    expect(await ran(losAngeles)).toEqual([]);
    expect(await scheduleAt(shanghai)).toBe("2026-03-02T16:01:00.000Z");
    now = Date.parse("2026-03-02T08:01:00Z");
    expect(await runner.drain()).toBe(1);
    expect(await ran(losAngeles)).toEqual(["2026-03-01"]);
    expect(await scheduleAt(losAngeles)).toBe("2026-03-03T08:01:00.000Z");
  });

  it("records what a day changed: on 1 March the silver member's monthly coupon_90 and tasting, and the March birthday coupon", async () => {
    const [r] = await database.db.select().from(periodDayReports).where(and(eq(periodDayReports.merchantId, shanghai), eq(periodDayReports.businessDate, "2026-03-01")));
    expect(r).toMatchObject({ trigger: "schedule", expiredPoints: 0, downgrades: 0, rightsIssued: 3, messages: 0 });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("catches up the days missed while stopped, in order, across the change to daylight time", async () => {
    // Stopped until 12:00 UTC on 9 March: 05:00 PDT on 9 March in Los Angeles (clocks went forward on the 8th),
    // 20:00 in Shanghai. Both have 2–8 March to run.
    now = Date.parse("2026-03-09T12:00:00Z");
    expect(await runner.drain()).toBe(2);
    const week = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08"];
    expect(await ran(shanghai)).toEqual(week);
    expect(await ran(losAngeles)).toEqual(week);
    const reports = await database.db.select().from(periodDayReports).where(eq(periodDayReports.merchantId, losAngeles)).orderBy(asc(periodDayReports.startedAt), asc(periodDayReports.businessDate));
    expect(reports.map((r) => r.businessDate)).toEqual(week);
    // Los Angeles's 9 March ends at 07:00 UTC on the 10th (PDT, UTC−7).
    expect(await scheduleAt(losAngeles)).toBe("2026-03-10T07:01:00.000Z");
  });

  it("looks again at once when an owner moves the go-live date, and audits the change", async () => {
    const db = database.db;
    expect(await scheduleAt(losAngeles)).toBe("2026-03-10T07:01:00.000Z");
    await setGoLiveDate(db, losAngeles, "2026-02-25", { now: new Date(now) });
    expect(await scheduleAt(losAngeles)).toBe("2026-03-09T12:00:00.000Z");
    expect(await runner.drain()).toBe(1);
    // 25–28 February now run too; the member's history from the 20th to the 24th stays unrun.
    const days = await ran(losAngeles);
    expect(days.slice(0, 5)).toEqual(["2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(days).toHaveLength(4 + 8);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.merchantId, losAngeles), eq(auditLog.action, "period.go_live"))).orderBy(asc(auditLog.at));
    expect(audit.map((a) => [a.before, a.after])).toEqual([
      [JSON.stringify({ goLiveDate: null }), JSON.stringify({ goLiveDate: "2026-03-01" })],
      [JSON.stringify({ goLiveDate: "2026-03-01" }), JSON.stringify({ goLiveDate: "2026-02-25" })],
    ]);
  });

  it("runs history before go-live only when asked, and refuses a day that has not ended", async () => {
    await expect(requestPeriodRun(database.db, shanghai, "2026-03-09", new Date(now))).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "validation_failed" && e.issues[0].path === "asOf",
    );
    await requestPeriodRun(database.db, shanghai, "2026-02-25", new Date(now));
    expect(await runner.drain()).toBe(1);
    const days = await ran(shanghai);
    expect(days.slice(0, 6)).toEqual(["2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", "2026-02-24", "2026-02-25"]);
    expect(days).toHaveLength(6 + 8);
    const [manual] = await database.db.select().from(periodDayReports).where(and(eq(periodDayReports.merchantId, shanghai), eq(periodDayReports.businessDate, "2026-02-20")));
    expect(manual.trigger).toBe("manual");
  });

  it("stops a catch-up between two days when the server is stopping, and looks again at once", async () => {
    const stop = new AbortController();
    stop.abort();
    const clock = new Date("2026-03-12T12:00:00Z"); // Shanghai has 9–11 March to run
    const job = { merchantId: shanghai, id: 0, kind: "period.schedule", key: "period:schedule", payload: {}, attempt: 1, maxAttempts: 1 };
    const out = await periodScheduleHandler.run(job, { db: database.db, signal: stop.signal, now: () => clock });
    // The day in progress finishes (each day is one transaction); the next waits for the next start.
    expect((await ran(shanghai)).filter((d) => d >= "2026-03-09")).toEqual(["2026-03-09"]);
    expect(out).toEqual({ again: clock });
  });
});

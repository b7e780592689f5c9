import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { jobs, merchants, periodDayReports } from "@/db/schema";
import { analyzeEngineTables, runPeriodJob } from "@/lib/engine/period";
import { programAt } from "@/lib/program/store";
import { AppError } from "@/lib/errors";
import { getMerchant } from "@/lib/tenancy/merchants";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { addDays, businessDate, startOfBusinessDate } from "@/lib/util/dates";

/** Where a merchant stands in its own time zone at `now`. */
export interface MerchantClock {
  timeZone: string;
  today: string;
  /** The latest business day that has ended: the latest the period job may run. */
  lastEnded: string;
  /** The first day the period job runs by itself. */
  goLive: string;
}

/** The merchant's clock, or null while it has no program (and so no time zone). */
export async function merchantClock(db: Db, merchantId: string, now: Date): Promise<MerchantClock | null> {
  const m = await getMerchant(db, merchantId);
  let timeZone: string;
  try {
    timeZone = (await programAt(db, merchantId, now)).timeZone;
  } catch (e) {
    if (e instanceof AppError && e.code === "not_found") return null;
    throw e;
  }
  const today = businessDate(now, timeZone);
  return { timeZone, today, lastEnded: addDays(today, -1), goLive: m.goLiveDate ?? businessDate(m.createdAt, timeZone) };
}

export type PeriodDayReport = typeof periodDayReports.$inferSelect;

/** Stops a run between two days or two chunks of a day (each committed chunk is a safe point: the day resumes after it). */
class Stopped extends Error {}

/**
 * Runs the period job up to `asOf` (from `from`, or from the merchant's first event) and records,
 * for each day it ran, when it started, how long it took and what it changed.
 */
export async function runPeriodDays(
  db: Db,
  merchantId: string,
  o: { asOf: string; from?: string; trigger: "schedule" | "manual"; timeZone: string; signal?: AbortSignal },
): Promise<{ days: PeriodDayReport[]; stopped: boolean }> {
  const ran: { date: string; startedAt: Date; durationMs: number }[] = [];
  let startedAt = new Date();
  let stopped = false;
  try {
    await runPeriodJob(db, merchantId, o.asOf, {
      from: o.from,
      analyze: false,
      onDay: (date) => {
        const end = new Date();
        ran.push({ date, startedAt, durationMs: end.getTime() - startedAt.getTime() });
        startedAt = end;
        if (o.signal?.aborted) throw new Stopped();
      },
      onChunk: () => {
        if (o.signal?.aborted) throw new Stopped();
      },
    });
  } catch (e) {
    if (!(e instanceof Stopped)) throw e;
    stopped = true;
  }
  const days: PeriodDayReport[] = [];
  for (const r of ran) days.push({ merchantId, businessDate: r.date, trigger: o.trigger, startedAt: r.startedAt, durationMs: r.durationMs, ...(await dayChanges(db, merchantId, r.date, o.timeZone)) });
  if (days.length) {
    await db.insert(periodDayReports).values(days).onConflictDoNothing();
    if (!stopped) await analyzeEngineTables(db);
  }
  return { days, stopped };
}

/**
 * What a period-job day wrote, read back from the rows it leaves: expire rows of that date, the
 * period's own tier changes, the rights and automation messages it stamped with the day's start.
 */
async function dayChanges(db: Db, merchantId: string, date: string, timeZone: string) {
  const dayStart = startOfBusinessDate(date, timeZone).toISOString();
  const [r] = await queryRows<{ expired: string | number; downgrades: number; rights: number; messages: number }>(
    db,
    sql`select
      (select coalesce(-sum(delta), 0) from points_ledger where merchant_id = ${merchantId} and business_date = ${date}::date and kind = 'expire') as expired,
      (select count(*)::int from tier_history where merchant_id = ${merchantId} and business_date = ${date}::date and source like 'period:%') as downgrades,
      (select count(*)::int from right_instances where merchant_id = ${merchantId} and issued_date = ${date}::date and issued_at = ${dayStart}::timestamptz) as rights,
      (select count(*)::int from outbox where merchant_id = ${merchantId} and created_at = ${dayStart}::timestamptz and source like 'auto:%') as messages`,
  );
  return { expiredPoints: Number(r.expired), downgrades: r.downgrades, rightsIssued: r.rights, messages: r.messages };
}

/** The latest days run, newest first (Settings → program). */
export async function recentPeriodDays(db: Db, merchantId: string, limit = 7): Promise<PeriodDayReport[]> {
  return db.select().from(periodDayReports).where(eq(periodDayReports.merchantId, merchantId)).orderBy(desc(periodDayReports.businessDate)).limit(limit);
}

/** Sets the first day the period job runs by itself, and has the scheduler look again now. */
export async function setGoLiveDate(db: Db, merchantId: string, goLiveDate: string, o: { actor?: Actor | null; now?: Date } = {}) {
  const now = (o.now ?? new Date()).toISOString();
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ goLiveDate: merchants.goLiveDate }).from(merchants).where(eq(merchants.id, merchantId));
    await tx.update(merchants).set({ goLiveDate }).where(eq(merchants.id, merchantId));
    await tx.execute(sql`update jobs set run_at = ${now}::timestamptz
      where merchant_id = ${merchantId} and key = ${PERIOD_SCHEDULE_KEY} and state = 'queued' and run_at > ${now}::timestamptz`);
    await writeAudit(tx, o.actor ?? null, { merchantId, action: "period.go_live", entity: "merchant", entityId: merchantId, before, after: { goLiveDate } });
  });
}

export const PERIOD_SCHEDULE_KIND = "period.schedule";
export const PERIOD_SCHEDULE_KEY = "period:schedule";

export interface PeriodJobStatus {
  clock: MerchantClock | null;
  recent: PeriodDayReport[];
  /** When the schedule looks next, and why its last attempt failed (if it did). */
  nextRunAt: Date | null;
  scheduleError: string | null;
  /** Runs asked for from Settings that have not finished, or that failed. */
  requested: { asOf: string; state: string; lastError: string | null }[];
}

/** What Settings → program shows of the period job. */
export async function periodJobStatus(db: Db, merchantId: string, now = new Date()): Promise<PeriodJobStatus> {
  const rows = await db
    .select({ kind: jobs.kind, state: jobs.state, runAt: jobs.runAt, lastError: jobs.lastError, payload: jobs.payload })
    .from(jobs)
    .where(and(eq(jobs.merchantId, merchantId), inArray(jobs.kind, [PERIOD_SCHEDULE_KIND, "period.manual"]), inArray(jobs.state, ["queued", "running", "parked"])))
    .orderBy(desc(jobs.createdAt))
    .limit(20);
  const schedule = rows.find((r) => r.kind === PERIOD_SCHEDULE_KIND);
  return {
    clock: await merchantClock(db, merchantId, now),
    recent: await recentPeriodDays(db, merchantId),
    nextRunAt: schedule?.state === "queued" ? schedule.runAt : null,
    scheduleError: schedule?.lastError ?? null,
    requested: rows.filter((r) => r.kind !== PERIOD_SCHEDULE_KIND).map((r) => ({ asOf: String((r.payload as { asOf?: string }).asOf), state: r.state, lastError: r.lastError })),
  };
}

import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { addDays, startOfBusinessDate } from "@/lib/util/dates";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { enqueueJob } from "./queue";
import type { JobHandler } from "./runner";
import { merchantClock, PERIOD_SCHEDULE_KEY, PERIOD_SCHEDULE_KIND, runPeriodDays } from "./period-days";

/** How long after a business day ends its period job starts: events of its last minute still arriving. */
export const PERIOD_GRACE_MS = 60_000;

/**
 * One recurring job per merchant: runs every day from the go-live date up to the last ended business
 * day that has not run (so on start it catches up the days missed, in order), then waits for the
 * end of the current business day.
 */
export const periodScheduleHandler: JobHandler = {
  async run(job, { db, now, signal }) {
    const clock = await merchantClock(db, job.merchantId, now());
    if (!clock) return { again: new Date(now().getTime() + 3_600_000) };
    if (clock.lastEnded >= clock.goLive) {
      const r = await runPeriodDays(db, job.merchantId, { asOf: clock.lastEnded, from: clock.goLive, trigger: "schedule", timeZone: clock.timeZone, signal });
      // Stopped between two days: the rest runs as soon as a runner is back.
      if (r.stopped) return { again: now() };
    }
    return { again: new Date(startOfBusinessDate(addDays(clock.today, 1), clock.timeZone).getTime() + PERIOD_GRACE_MS) };
  },
};

/** An owner's "run for a past date": every day up to `asOf` not run yet, history included. */
export const periodManualHandler: JobHandler = {
  async run(job, { db, now, signal }) {
    const asOf = String(job.payload.asOf);
    const clock = await merchantClock(db, job.merchantId, now());
    if (!clock) return;
    await runPeriodDays(db, job.merchantId, { asOf, trigger: "manual", timeZone: clock.timeZone, signal });
  },
};

export const PERIOD_MANUAL_KIND = "period.manual";

/** Gives every merchant its schedule job (new merchants get theirs at the next call). */
export async function ensurePeriodSchedules(db: Db, now: Date) {
  // Retried hourly (the default backoff's ceiling) for as long as it fails: a schedule is never parked for good.
  await db.execute(sql`insert into jobs (merchant_id, kind, key, run_at, max_attempts)
    select id, ${PERIOD_SCHEDULE_KIND}, ${PERIOD_SCHEDULE_KEY}, ${now.toISOString()}::timestamptz, 1000000 from merchants
    on conflict (merchant_id, key) do nothing`);
}

/** Queues a run up to `asOf`; refused (validation_failed on asOf) when that day has not ended. */
export async function requestPeriodRun(db: Db, merchantId: string, asOf: string, now = new Date(), actor: Actor | null = null) {
  const clock = await merchantClock(db, merchantId, now);
  if (!clock) throw new AppError("not_found", "this merchant has no program yet");
  if (asOf > clock.lastEnded)
    throw new AppError("validation_failed", `${asOf} has not ended yet`, [{ path: "asOf", message: `must be ${clock.lastEnded} or earlier (the last ended business day)` }]);
  await db.transaction(async (tx) => {
    await enqueueJob(tx, { merchantId, kind: PERIOD_MANUAL_KIND, key: `period:manual:${asOf}:${now.getTime()}`, payload: { asOf }, maxAttempts: 3 }, now);
    await writeAudit(tx, actor, { merchantId, action: "period.run", entity: "period_job", entityId: asOf, after: { asOf } });
  });
  return { asOf };
}

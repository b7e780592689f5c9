import type { Database } from "@/db/client";
import { PERIOD_SCHEDULE_KIND } from "./period-days";
import { ensurePeriodSchedules, PERIOD_MANUAL_KIND, periodManualHandler, periodScheduleHandler } from "./period-schedule";
import { JobRunner, type JobHandler } from "./runner";
import { pruneFinishedJobs, releaseLeases } from "./queue";
import { DELIVER_KIND, deliverHandler } from "@/lib/webhooks/deliveries";
import { FANOUT_KIND, fanoutHandler } from "@/lib/webhooks/fanout";
import { ensureImportJobs, IMPORT_JOB_KIND } from "@/lib/members/import-csv";
import { importHandler } from "@/lib/members/import-job";
import { METRICS_REFRESH_KIND, metricsRefreshHandler } from "@/lib/metrics/refresh-job";

/** Every kind of background work and its handler. */
export const jobHandlers: Record<string, JobHandler> = {
  [PERIOD_SCHEDULE_KIND]: periodScheduleHandler,
  [PERIOD_MANUAL_KIND]: periodManualHandler,
  [FANOUT_KIND]: fanoutHandler,
  [DELIVER_KIND]: deliverHandler,
  [IMPORT_JOB_KIND]: importHandler,
  [METRICS_REFRESH_KIND]: metricsRefreshHandler,
};

const holder = globalThis as unknown as { __memberConsoleJobs?: JobRunner };

/** The server's runner, when it has started (server actions wake it after queueing work). */
export const backgroundRunner = () => holder.__memberConsoleJobs ?? null;

/**
 * Starts the job runner of this server process (once, however often the module is evaluated) and
 * stops it on SIGTERM/SIGINT: running work (and whatever `alsoStop` stops, such as imports) reaches a
 * safe point, the database is closed, and the process exits within 10 s.
 */
export function startBackgroundWork(database: Database, opts: { alsoStop?: (() => Promise<unknown>)[] } = {}) {
  if (holder.__memberConsoleJobs) return holder.__memberConsoleJobs;
  const runner = new JobRunner({ db: database.db, handlers: jobHandlers, concurrency: Number(process.env.JOB_CONCURRENCY ?? 4), log: (m) => console.error(m) });
  holder.__memberConsoleJobs = runner;
  const ensure = () =>
    ensurePeriodSchedules(database.db, new Date())
      .then(() => ensureImportJobs(database.db, new Date()))
      .then(() => pruneFinishedJobs(database.db, new Date()))
      .catch((e) => console.error(`jobs: scheduling failed: ${(e as Error).message}`));
  // On the embedded database this is the only process: jobs left running (a crash, kill -9) resume now, not after their lease.
  const released = database.kind === "pglite" ? releaseLeases(database.db, new Date()).catch(() => 0) : Promise.resolve(0);
  void released.then(ensure).then(() => runner.start());
  const every = setInterval(ensure, 60_000);
  every.unref();
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    clearInterval(every);
    setTimeout(() => process.exit(signal === "SIGINT" ? 130 : 143), 9_500).unref();
    void Promise.all([runner.stop(8_000), ...(opts.alsoStop ?? []).map((f) => f())])
      .then(() => database.close())
      .catch((e) => console.error(e))
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return runner;
}

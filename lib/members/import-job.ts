import type { JobHandler } from "@/lib/jobs/runner";
import { runImportJob, type RunImportOptions } from "./import-csv";

/**
 * Runs an import as a background job: resumes it after its last committed chunk (a first run starts
 * at row 1). Stopped at a chunk edge (SIGTERM), the job is queued again at once, so the next runner
 * (this server's next start, or another process on the same PostgreSQL) carries on; after a crash its
 * lease runs out and another runner takes it over the same way. An import records its own failure
 * (the job ends: its file is gone, a retry would have nothing to read).
 */
export function importJobHandler(opts: Pick<RunImportOptions, "ingest"> = {}): JobHandler {
  return {
    async run(job, { db, signal, now }) {
      const lanes = typeof job.payload.lanes === "number" ? job.payload.lanes : undefined;
      const outcome = await runImportJob(db, job.merchantId, String(job.payload.importId), { ...opts, lanes, signal });
      if (outcome === "stopped") return { again: now() };
    },
  };
}

export const importHandler = importJobHandler();

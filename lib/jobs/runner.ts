import os from "node:os";
import type { Db } from "@/db/client";
import { randomToken } from "@/lib/util/ids";
import { claimJobs, completeJob, extendLease, failJob, type Job } from "./queue";

export interface JobContext {
  db: Db;
  /** Aborted when the process is stopping: a long job stops at its next safe point (its lease lets another runner finish it). */
  signal: AbortSignal;
  now: () => Date;
}

export interface JobHandler {
  /** Resolve to finish the job (or `{ again }` to run it again then: recurring work); throw to retry it. */
  run(job: Job, ctx: JobContext): Promise<void | { again: Date }>;
  /** Wait before attempt `attempt + 1` after attempt `attempt` failed. */
  backoffMs?: (attempt: number) => number;
}

/** 5 s, 30 s, 3 min, 18 min, then hourly. */
export const defaultBackoffMs = (attempt: number) => Math.min(5_000 * 6 ** (attempt - 1), 3_600_000);

export interface RunnerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  /** The clock the queue compares run times and leases against (tests move it by hand). */
  now?: () => Date;
  worker?: string;
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  log?: (message: string) => void;
}

/**
 * Runs the jobs of the `jobs` table: polls for due ones, runs up to `concurrency` at a time, keeps
 * their leases while they run, and records each outcome (done, retry after backoff, parked).
 */
export class JobRunner {
  readonly worker: string;
  private readonly now: () => Date;
  private readonly leaseMs: number;
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<unknown> | null = null;
  private wokenWhilePolling = false;

  constructor(private readonly o: RunnerOptions) {
    this.worker = o.worker ?? `${os.hostname()}:${process.pid}:${randomToken(4)}`;
    this.now = o.now ?? (() => new Date());
    this.leaseMs = o.leaseMs ?? 60_000;
  }

  /**
   * Starts polling every `pollMs` (1 s by default), and at once whenever a job it runs finishes (a
   * slot is free, and a busy queue, such as webhook deliveries, has more due).
   */
  start() {
    const tick = () => {
      this.timer = null;
      if (this.abort.signal.aborted) return;
      this.polling ??= this.claimAndStart()
        .catch((e) => this.o.log?.(`jobs: poll failed: ${(e as Error).message}`))
        .finally(() => {
          this.polling = null;
          if (!this.abort.signal.aborted) this.timer = setTimeout(tick, this.wokenWhilePolling ? 0 : (this.o.pollMs ?? 1_000));
          this.wokenWhilePolling = false;
        });
    };
    tick();
    return this;
  }

  /** Polls now instead of at the next tick (after enqueueing urgent work, or when a slot frees); right after the poll under way, if any. Nothing before start(). */
  wake() {
    if (this.polling) this.wokenWhilePolling = true;
    else if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.start();
    }
  }

  /** Claims what is due and free slots allow, runs it, and resolves when those jobs have finished. */
  async runDue(): Promise<number> {
    const started = await this.claimAndStart();
    await Promise.all(started);
    return started.length;
  }

  /** Runs due jobs until none is left (tests; also retries whose time has come under the given clock). */
  async drain(): Promise<number> {
    let n = 0;
    for (let k; (k = await this.runDue()); ) n += k;
    return n;
  }

  /** Stops claiming, asks running jobs to stop at a safe point, and waits for them up to `timeoutMs`. */
  async stop(timeoutMs = 8_000) {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.polling?.catch(() => {});
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => (timeout = setTimeout(r, timeoutMs)))]);
    clearTimeout(timeout);
  }

  private async claimAndStart(): Promise<Promise<void>[]> {
    const free = (this.o.concurrency ?? 2) - this.running.size;
    if (free < 1 || this.abort.signal.aborted) return [];
    const jobs = await claimJobs(this.o.db, { worker: this.worker, kinds: Object.keys(this.o.handlers), now: this.now(), leaseMs: this.leaseMs, limit: free });
    return jobs.map((job) => {
      const p = this.execute(job).finally(() => {
        this.running.delete(p);
        this.wake();
      });
      this.running.add(p);
      return p;
    });
  }

  private async execute(job: Job) {
    const handler = this.o.handlers[job.kind];
    const db = this.o.db;
    const heartbeat = setInterval(() => {
      extendLease(db, job, this.worker, new Date(this.now().getTime() + this.leaseMs)).catch(() => {});
    }, Math.max(1_000, this.leaseMs / 3));
    try {
      const out = await handler.run(job, { db, signal: this.abort.signal, now: this.now });
      clearInterval(heartbeat);
      await completeJob(db, job, this.worker, this.now(), out ? out.again : undefined);
    } catch (e) {
      clearInterval(heartbeat);
      const message = e instanceof Error ? e.message : String(e);
      const outcome = await failJob(db, job, this.worker, this.now(), message, (handler.backoffMs ?? defaultBackoffMs)(job.attempt)).catch(() => "lost");
      this.o.log?.(`jobs: ${job.kind} ${job.key} attempt ${job.attempt} failed (${outcome}): ${message}`);
    }
  }
}

import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";

/** A claimed job, as its handler sees it. */
export interface Job {
  merchantId: string;
  id: number;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  /** This attempt's number, from 1. */
  attempt: number;
  maxAttempts: number;
}

export interface EnqueueInput {
  merchantId: string;
  kind: string;
  /** Unique per merchant: enqueueing the same key again adds nothing. */
  key: string;
  payload?: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
}

/** Adds a job unless one with its key exists (in any state); true when added. Works inside a transaction too. */
export async function enqueueJob(db: Db, job: EnqueueInput, now = new Date()): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`insert into jobs (merchant_id, kind, key, payload, run_at, max_attempts)
        values (${job.merchantId}, ${job.kind}, ${job.key}, ${JSON.stringify(job.payload ?? {})}::jsonb,
          ${(job.runAt ?? now).toISOString()}::timestamptz, ${job.maxAttempts ?? 5})
        on conflict (merchant_id, key) do nothing returning id`,
  );
  return rows.length > 0;
}

interface Row {
  merchant_id: string;
  id: string | number;
  kind: string;
  key: string;
  payload: Record<string, unknown> | string;
  attempts: number;
  max_attempts: number;
}

/**
 * Takes up to `limit` due jobs of the given kinds: queued ones whose time has come, and running
 * ones whose lease ran out (their runner died or hung). `SKIP LOCKED` lets several runners on one
 * PostgreSQL claim side by side without ever taking the same row; the claim itself is one statement.
 */
export async function claimJobs(db: Db, o: { worker: string; kinds: string[]; now: Date; leaseMs: number; limit: number }): Promise<Job[]> {
  if (!o.kinds.length || o.limit < 1) return [];
  const now = o.now.toISOString();
  const rows = await queryRows<Row>(
    db,
    sql`with c as (
          select merchant_id, id from jobs
          where kind in (select jsonb_array_elements_text(${JSON.stringify(o.kinds)}::jsonb))
            and ((state = 'queued' and run_at <= ${now}::timestamptz) or (state = 'running' and locked_until < ${now}::timestamptz))
          order by run_at, id
          limit ${o.limit}
          for update skip locked
        )
        update jobs j set state = 'running', attempts = j.attempts + 1, locked_by = ${o.worker},
          locked_until = ${new Date(o.now.getTime() + o.leaseMs).toISOString()}::timestamptz
        from c where j.merchant_id = c.merchant_id and j.id = c.id
        returning j.merchant_id, j.id, j.kind, j.key, j.payload, j.attempts, j.max_attempts`,
  );
  return rows.map((r) => ({
    merchantId: r.merchant_id,
    id: Number(r.id),
    kind: r.kind,
    key: r.key,
    payload: typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload,
    attempt: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

// Every change below is fenced by the lease: a runner whose lease was taken over changes nothing.
const held = (job: Job, worker: string) =>
  sql`merchant_id = ${job.merchantId} and id = ${job.id} and state = 'running' and locked_by = ${worker} and attempts = ${job.attempt}`;

/** Keeps the lease of a running job; false when it is no longer this runner's. */
export async function extendLease(db: Db, job: Job, worker: string, until: Date): Promise<boolean> {
  const rows = await queryRows(db, sql`update jobs set locked_until = ${until.toISOString()}::timestamptz where ${held(job, worker)} returning id`);
  return rows.length > 0;
}

/** Marks a job done, or, for a recurring job, queues it again at `again` with its attempts reset. */
export async function completeJob(db: Db, job: Job, worker: string, now: Date, again?: Date): Promise<boolean> {
  const rows = again
    ? await queryRows(
        db,
        sql`update jobs set state = 'queued', run_at = ${again.toISOString()}::timestamptz, attempts = 0, locked_by = null,
              locked_until = null, last_error = null where ${held(job, worker)} returning id`,
      )
    : await queryRows(
        db,
        sql`update jobs set state = 'done', finished_at = ${now.toISOString()}::timestamptz, locked_by = null, locked_until = null,
              last_error = null where ${held(job, worker)} returning id`,
      );
  return rows.length > 0;
}

/** After a failed attempt: queued again after `retryInMs`, or parked with its error once attempts are spent. */
export async function failJob(db: Db, job: Job, worker: string, now: Date, error: string, retryInMs: number): Promise<"retry" | "parked" | "lost"> {
  const park = job.attempt >= job.maxAttempts;
  const rows = await queryRows(
    db,
    sql`update jobs set state = ${park ? "parked" : "queued"},
          run_at = ${new Date(now.getTime() + (park ? 0 : retryInMs)).toISOString()}::timestamptz,
          finished_at = ${park ? now.toISOString() : null}::timestamptz,
          locked_by = null, locked_until = null, last_error = ${error.slice(0, 2000)}
        where ${held(job, worker)} returning id`,
  );
  if (!rows.length) return "lost";
  return park ? "parked" : "retry";
}

/** Puts a parked (or done) job back in the queue for one more round of attempts. */
export async function requeueJob(db: Db, merchantId: string, key: string, now = new Date()): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`update jobs set state = 'queued', run_at = ${now.toISOString()}::timestamptz, attempts = 0, finished_at = null
        where merchant_id = ${merchantId} and key = ${key} and state in ('parked', 'done') returning id`,
  );
  return rows.length > 0;
}

/** Deletes jobs finished (done) more than `keepMs` ago; parked ones stay until someone looks at them. */
export async function pruneFinishedJobs(db: Db, now: Date, keepMs = 7 * 86_400_000): Promise<number> {
  const rows = await queryRows(db, sql`delete from jobs where state = 'done' and finished_at < ${new Date(now.getTime() - keepMs).toISOString()}::timestamptz returning id`);
  return rows.length;
}

/**
 * Ends the leases of jobs left running (embedded database, at start: only one process can open
 * it, so whoever held them is gone); the runner takes them again at once instead of after the lease.
 */
export async function releaseLeases(db: Db, now: Date): Promise<number> {
  const rows = await queryRows(db, sql`update jobs set locked_until = ${now.toISOString()}::timestamptz where state = 'running' and locked_until > ${now.toISOString()}::timestamptz returning id`);
  return rows.length;
}

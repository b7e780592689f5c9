import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { openDatabase, queryRows, type Database } from "@/db/client";
import { jobs } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { claimJobs, completeJob, enqueueJob, pruneFinishedJobs } from "@/lib/jobs/queue";
import { JobRunner } from "@/lib/jobs/runner";
import { testDatabases } from "../db";

const T0 = Date.parse("2026-03-01T00:00:00Z");

describe.each(testDatabases)("job queue on $name", ({ name, open }) => {
  let database: Database & { url?: string };
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "jobs", name: "Jobs" })).id;
    await database.db.execute(sql`create table job_effects (k text primary key, n int not null)`);
  });
  afterAll(() => database.close());

  const jobRow = async (key: string) => (await database.db.select().from(jobs).where(and(eq(jobs.merchantId, merchantId), eq(jobs.key, key))))[0];

  it("enqueues a key once", async () => {
    const db = database.db;
    expect(await enqueueJob(db, { merchantId, kind: "noop", key: "once" })).toBe(true);
    expect(await enqueueJob(db, { merchantId, kind: "noop", key: "once" })).toBe(false);
    const n = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from jobs where key = 'once'`);
    expect(n[0].n).toBe(1);
  });

  it("retries a job that throws twice after 5 s and 30 s; it runs three times and its effect is applied once", async () => {
    const db = database.db;
    let now = T0;
    let calls = 0;
    await db.execute(sql`insert into job_effects values ('flaky', 0)`);
    const runner = new JobRunner({
      db,
      now: () => new Date(now),
      handlers: {
        flaky: {
          run: (job, ctx) =>
            ctx.db.transaction(async (tx) => {
              calls++;
              await tx.execute(sql`update job_effects set n = n + 1 where k = ${job.key}`);
              if (calls < 3) throw new Error(`boom ${calls}`);
            }),
        },
      },
    });
    await enqueueJob(db, { merchantId, kind: "flaky", key: "flaky" }, new Date(now));
    expect(await runner.drain()).toBe(1);
    expect(await jobRow("flaky")).toMatchObject({ state: "queued", attempts: 1, lastError: "boom 1" });
    // The first retry is due 5 s after the failure, not before.
    now = T0 + 4_999;
    expect(await runner.drain()).toBe(0);
    now = T0 + 5_000;
    expect(await runner.drain()).toBe(1);
    expect((await jobRow("flaky")).runAt.toISOString()).toBe("2026-03-01T00:00:35.000Z"); // 5 s + 30 s
    now = T0 + 35_000;
    expect(await runner.drain()).toBe(1);
    expect(calls).toBe(3);
    expect(await jobRow("flaky")).toMatchObject({ state: "done", attempts: 3, lastError: null });
    const [effect] = await queryRows<{ n: number }>(db, sql`select n from job_effects where k = 'flaky'`);
    expect(effect.n).toBe(1);
  });

  it("parks a job with its last error once its attempts are spent", async () => {
    const db = database.db;
    let now = T0;
    const runner = new JobRunner({ db, now: () => new Date(now), handlers: { broken: { run: async (job) => Promise.reject(new Error(`attempt ${job.attempt} failed`)), backoffMs: () => 1_000 } } });
    await enqueueJob(db, { merchantId, kind: "broken", key: "broken", maxAttempts: 3 }, new Date(now));
    for (let i = 0; i < 3; i++, now += 1_000) expect(await runner.drain()).toBe(1);
    now += 3_600_000;
    expect(await runner.drain()).toBe(0);
    expect(await jobRow("broken")).toMatchObject({ state: "parked", attempts: 3, lastError: "attempt 3 failed" });
  });

  it("lets another runner take over a job whose lease ran out, and fences the first one out", async () => {
    const db = database.db;
    await enqueueJob(db, { merchantId, kind: "lease", key: "lease" }, new Date(T0));
    const [a] = await claimJobs(db, { worker: "A", kinds: ["lease"], now: new Date(T0), leaseMs: 60_000, limit: 10 });
    expect(a.attempt).toBe(1);
    // A holds it until T0 + 60 s.
    expect(await claimJobs(db, { worker: "B", kinds: ["lease"], now: new Date(T0 + 59_000), leaseMs: 60_000, limit: 10 })).toEqual([]);
    const [b] = await claimJobs(db, { worker: "B", kinds: ["lease"], now: new Date(T0 + 60_001), leaseMs: 60_000, limit: 10 });
    expect(b).toMatchObject({ key: "lease", attempt: 2 });
    expect(await completeJob(db, a, "A", new Date(T0 + 61_000))).toBe(false);
    expect(await completeJob(db, b, "B", new Date(T0 + 61_000))).toBe(true);
    expect(await jobRow("lease")).toMatchObject({ state: "done", attempts: 2 });
  });

  it("asks running work to stop at a safe point and waits for it", async () => {
    const db = database.db;
    let stoppedAtSafePoint = false;
    const runner = new JobRunner({
      db,
      handlers: {
        long: {
          run: (_job, ctx) =>
            new Promise<void>((resolve) =>
              ctx.signal.addEventListener("abort", () => {
                stoppedAtSafePoint = true;
                resolve();
              }),
            ),
        },
      },
    });
    await enqueueJob(db, { merchantId, kind: "long", key: "long" });
    const running = runner.runDue();
    await new Promise((r) => setTimeout(r, 50));
    const t = Date.now();
    await runner.stop(5_000);
    await running;
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(stoppedAtSafePoint).toBe(true);
    expect((await jobRow("long")).state).toBe("done");
  });

  it("a started runner takes the next due job as soon as one finishes, not at its next poll", async () => {
    const db = database.db;
    // 7 due jobs, 2 slots, polls a minute apart: only slots freeing can get all 7 run within seconds.
    for (let i = 0; i < 7; i++) await enqueueJob(db, { merchantId, kind: "quick", key: `quick-${i}` }, new Date(T0));
    const ran: string[] = [];
    const runner = new JobRunner({ db, now: () => new Date(T0), concurrency: 2, pollMs: 60_000, handlers: { quick: { run: async (job) => void ran.push(job.key) } } });
    runner.start();
    const until = Date.now() + 5_000;
    while (ran.length < 7 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await runner.stop(5_000);
    expect(ran.sort()).toEqual(["quick-0", "quick-1", "quick-2", "quick-3", "quick-4", "quick-5", "quick-6"]);
    const [left] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from jobs where kind = 'quick' and state <> 'done'`);
    expect(left.n).toBe(0);
  });

  it("prunes jobs done more than 7 days ago and keeps parked ones", async () => {
    const db = database.db;
    const day = 86_400_000;
    let now = T0;
    const runner = new JobRunner({ db, now: () => new Date(now), handlers: { prune: { run: async (job) => { if (job.key === "prune-parked") throw new Error("no"); } } } });
    await enqueueJob(db, { merchantId, kind: "prune", key: "prune-old" }, new Date(now));
    await enqueueJob(db, { merchantId, kind: "prune", key: "prune-parked", maxAttempts: 1 }, new Date(now));
    await runner.drain();
    now = T0 + 2 * day;
    await enqueueJob(db, { merchantId, kind: "prune", key: "prune-recent" }, new Date(now));
    await runner.drain();
    // 7 days and 1 ms after the first finished: only it goes.
    expect(await pruneFinishedJobs(db, new Date(T0 + 7 * day + 1))).toBeGreaterThanOrEqual(1);
    expect(await jobRow("prune-old")).toBeUndefined();
    expect((await jobRow("prune-recent")).state).toBe("done");
    expect((await jobRow("prune-parked")).state).toBe("parked");
  });

  it("keeps queued jobs across a restart", async () => {
    let url = database.url;
    let dir: string | undefined;
    if (name === "pglite") dir = fs.mkdtempSync(path.join(os.tmpdir(), "jobs-restart-"));
    const first = url ? await openDatabase({ url }) : await openDatabase({ dataDir: dir });
    const m = url ? merchantId : (await createMerchant(first.db, { slug: "restart", name: "Restart" })).id;
    await enqueueJob(first.db, { merchantId: m, kind: "later", key: "survives" }, new Date(T0));
    await first.close();
    const second = url ? await openDatabase({ url, migrate: false }) : await openDatabase({ dataDir: dir });
    const ran: string[] = [];
    await new JobRunner({ db: second.db, now: () => new Date(T0), handlers: { later: { run: async (job) => void ran.push(job.key) } } }).drain();
    await second.close();
    url = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    expect(ran).toEqual(["survives"]);
  });
});

describe.runIf(testDatabases.some((d) => d.name === "postgres"))("job queue with two runners on one PostgreSQL", () => {
  let database: Database & { url?: string };
  let other: Database;
  beforeAll(async () => {
    database = await testDatabases.find((d) => d.name === "postgres")!.open();
    other = await openDatabase({ url: database.url, migrate: false });
  });
  afterAll(async () => {
    await other.close();
    await database.close();
  });

  it("never gives the same job to both", async () => {
    const merchantId = (await createMerchant(database.db, { slug: "two", name: "Two" })).id;
    for (let i = 0; i < 200; i++) await enqueueJob(database.db, { merchantId, kind: "count", key: `k${i}` }, new Date(T0));
    const runs = new Map<string, string[]>();
    const handler = (worker: string) => ({
      run: async (job: { key: string }) => {
        runs.set(job.key, [...(runs.get(job.key) ?? []), worker]);
        await new Promise((r) => setTimeout(r, 2));
      },
    });
    const a = new JobRunner({ db: database.db, worker: "A", concurrency: 4, now: () => new Date(T0), handlers: { count: handler("A") } });
    const b = new JobRunner({ db: other.db, worker: "B", concurrency: 4, now: () => new Date(T0), handlers: { count: handler("B") } });
    await Promise.all([a.drain(), b.drain()]);
    expect(runs.size).toBe(200);
    expect([...runs.values()].filter((w) => w.length !== 1)).toEqual([]);
    const byWorker = [...runs.values()].flat();
    expect(byWorker.filter((w) => w === "A").length).toBeGreaterThan(0);
    expect(byWorker.filter((w) => w === "B").length).toBeGreaterThan(0);
    const [left] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from jobs where kind = 'count' and state <> 'done'`);
    expect(left.n).toBe(0);
  });
});

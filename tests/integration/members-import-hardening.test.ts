import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, like } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, events, members } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { IMPORT_FAILED_MESSAGE, IMPORT_JOB_KIND, createImportJob, ensureImportJobs, getImportJobOrThrow, importJobView, importQueueKey, runImportJob, startImport, stopImports } from "@/lib/members/import-csv";
import { importJobHandler } from "@/lib/members/import-job";
import { JobRunner } from "@/lib/jobs/runner";
import { jobs } from "@/db/schema";
import { importFilePath, importReportPath, saveUpload } from "@/lib/members/import-files";
import { parseCsv } from "@/lib/csv/parse";
import { exportMembers } from "@/lib/members/export-members";
import { parseMemberListQuery } from "@/lib/schemas/members";
import { testDatabases } from "../db";

const mapping = { memberId: "member_id", name: "name", registeredAt: "registered_at" };
/** A members file: member `<prefix>-<i>` for i = 1…n, with `cells(i)` overriding a row's name. */
const membersFile = (prefix: string, n: number, name: (i: number) => string = (i) => `会员${i}`) => {
  const lines = ["member_id,name,registered_at"];
  for (let i = 1; i <= n; i++) lines.push(`${prefix}-${i},${name(i)},2026-01-05 10:00`);
  return new TextEncoder().encode(lines.join("\r\n") + "\r\n");
};

describe.each(testDatabases)("import hardening on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  let dir: string;
  const actor: Actor = { kind: "user", userId: "u-op", merchantId: "", role: "operator", email: "op@ih.test", name: "Op" };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "imports-"));
    process.env.IMPORT_DIR = dir;
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "ih", name: "IH", demoProgram: true })).id;
    actor.merchantId = merchantId;
  });
  afterAll(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const membersWithPrefix = async (prefix: string) =>
    (await database.db.select({ n: count() }).from(members).where(and(eq(members.merchantId, merchantId), like(members.memberId, `${prefix}-%`))))[0].n;
  /** What a server's start does for imports: its job runner resumes every unfinished one. */
  const resumeInterruptedImports = (db: Database["db"]) => new JobRunner({ db, handlers: { [IMPORT_JOB_KIND]: importJobHandler() } }).drain();
  const queueRow = async (importId: string) => (await database.db.select().from(jobs).where(and(eq(jobs.merchantId, merchantId), eq(jobs.key, importQueueKey(importId)))))[0];
  const eventsWithPrefix = async (prefix: string) =>
    (await database.db.select({ n: count() }).from(events).where(and(eq(events.merchantId, merchantId), like(events.eventId, `import-member-${prefix}-%`))))[0].n;

  it("a NUL byte in one cell rejects that row only; the other 1,999 are imported", async () => {
    const bytes = membersFile("NUL", 2000, (i) => (i === 1500 ? "bad\u0000name" : i === 1501 ? "-1+cmd|' /C calc'!A0\u0000" : `会员${i}`));
    const { job, run } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "nul.csv", file: await saveUpload(bytes), mapping, lanes: 1 }, actor);
    expect(await run()).toBe("done");
    const done = await getImportJobOrThrow(database.db, merchantId, job.id);
    expect(done).toMatchObject({ status: "done", total: 2000, processed: 2000, applied: 1998, duplicates: 0, rejected: 2, error: null });
    expect(await membersWithPrefix("NUL")).toBe(1998);
    const report = parseCsv(done.report!);
    // Data row i is line i + 1 of the file (the header is line 1).
    expect(report.rows.map((r) => [r.row, r.member_id, r.name])).toEqual([
      ["1501", "NUL-1500", "bad\uFFFDname"],
      ["1502", "NUL-1501", "'-1+cmd|' /C calc'!A0\uFFFD"],
    ]);
    expect(report.rows[0].reason).toBe("name must not contain a NUL character or an unpaired UTF-16 surrogate");
    // The files are gone once the job ends.
    expect(fs.existsSync(importFilePath(merchantId, job.id))).toBe(false);
    expect(fs.existsSync(importReportPath(merchantId, job.id))).toBe(false);
  });

  it("a batch the database refuses is retried in halves down to single rows: only the bad row is reported, no SQL anywhere", async () => {
    const bytes = membersFile("DBE", 1500);
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "dbe.csv", file: await saveUpload(bytes), mapping, lanes: 1 }, actor);
    const ingest: typeof ingestEvents = async (db, m, raws) => {
      if (raws.some((e) => (e as { id: string }).id === "import-member-DBE-1200")) throw new Error('Failed query: with w0 as (delete from "metric_rollup_state" …');
      return ingestEvents(db, m, raws);
    };
    expect(await runImportJob(database.db, merchantId, job.id, { lanes: 1, ingest })).toBe("done");
    const done = await getImportJobOrThrow(database.db, merchantId, job.id);
    expect(done).toMatchObject({ status: "done", processed: 1500, applied: 1499, rejected: 1, error: null });
    expect(await membersWithPrefix("DBE")).toBe(1499);
    const report = parseCsv(done.report!);
    expect(report.rows.map((r) => [r.row, r.member_id, r.reason])).toEqual([["1201", "DBE-1200", "the database refused this row"]]);
    expect(done.report).not.toMatch(/Failed query|metric_rollup_state/);
  });

  it("a failing database fails the job with a generic text, never the SQL", async () => {
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "down.csv", file: await saveUpload(membersFile("DOWN", 3)), mapping, lanes: 1 }, actor);
    const ingest: typeof ingestEvents = async () => {
      throw new Error('Failed query: with w0 as (delete from "metric_rollup_state" …');
    };
    expect(await runImportJob(database.db, merchantId, job.id, { lanes: 1, ingest })).toBe("failed");
    const failed = await getImportJobOrThrow(database.db, merchantId, job.id);
    expect(failed).toMatchObject({ status: "failed", applied: 0, error: IMPORT_FAILED_MESSAGE });
    expect(JSON.stringify(importJobView(failed))).not.toMatch(/Failed query|metric_rollup_state|at /);
  });

  it("stopped after its first batch (SIGTERM), an import resumes from there: every row applied exactly once", async () => {
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "stop.csv", file: await saveUpload(membersFile("STOP", 2500)), mapping, lanes: 1 }, actor);
    let batches = 0;
    let stopping: Promise<void> | undefined;
    const ingest: typeof ingestEvents = async (db, m, raws) => {
      const r = await ingestEvents(db, m, raws);
      // What the SIGTERM handler does, while the first batch is in flight.
      if (++batches === 1) stopping = stopImports();
      return r;
    };
    expect(await startImport(database.db, merchantId, job.id, { lanes: 1, ingest })).toBe("stopped");
    await stopping;
    const stopped = await getImportJobOrThrow(database.db, merchantId, job.id);
    // Rows 1–1,000 (the batch in flight) committed and recorded; the job stays resumable.
    expect(stopped).toMatchObject({ status: "running", committedRows: 1000, processed: 1000, applied: 1000, finishedAt: null });
    expect(await membersWithPrefix("STOP")).toBe(1000);
    expect(fs.existsSync(importFilePath(merchantId, job.id))).toBe(true);

    await resumeInterruptedImports(database.db);
    const done = await getImportJobOrThrow(database.db, merchantId, job.id);
    expect(done).toMatchObject({ status: "done", total: 2500, committedRows: 2500, processed: 2500, applied: 2500, duplicates: 0, rejected: 0 });
    expect(await membersWithPrefix("STOP")).toBe(2500);
    expect(await eventsWithPrefix("STOP")).toBe(2500);
    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.entityId, job.id)));
    expect(audit.map((a) => a.action)).toEqual(["member.import_members"]);
  });

  it("gives the event loop a turn after every batch, so a timer (or SIGTERM's handler) stops it within a batch", async () => {
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "turn.csv", file: await saveUpload(membersFile("TURN", 4000)), mapping, lanes: 1 }, actor);
    let batches = 0;
    const ingest: typeof ingestEvents = async (db, m, raws) => {
      // A timer set during the first batch: what a SIGTERM arriving then is to the event loop.
      if (++batches === 1) setTimeout(() => void stopImports(), 0);
      return ingestEvents(db, m, raws);
    };
    const run = startImport(database.db, merchantId, job.id, { lanes: 1, ingest });
    expect(await run).toBe("stopped");
    const stopped = await getImportJobOrThrow(database.db, merchantId, job.id);
    expect(stopped.status).toBe("running");
    expect(stopped.committedRows).toBeLessThanOrEqual(2000);
    await resumeInterruptedImports(database.db);
    expect(await getImportJobOrThrow(database.db, merchantId, job.id)).toMatchObject({ status: "done", applied: 4000, duplicates: 0 });
    expect(await membersWithPrefix("TURN")).toBe(4000);
  });

  it("after a crash between a batch's commit and its record, the resumed run applies the rest; the batch comes back as duplicates", async () => {
    const bytes = membersFile("CRASH", 2500, (i) => (i === 1700 ? "x\u0000" : `会员${i}`));
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "crash.csv", file: await saveUpload(bytes), mapping, lanes: 1 }, actor);
    let batches = 0;
    // The second batch commits, then the process "dies": its progress record is never written.
    const ingest: typeof ingestEvents = async (db, m, raws) => {
      const r = await ingestEvents(db, m, raws);
      if (++batches === 2) return new Promise<never>(() => {});
      return r;
    };
    void runImportJob(database.db, merchantId, job.id, { lanes: 1, ingest });
    await expect.poll(async () => (await membersWithPrefix("CRASH")) === 1999, { timeout: 30_000 }).toBe(true);
    expect(await getImportJobOrThrow(database.db, merchantId, job.id)).toMatchObject({ status: "running", committedRows: 1000 });

    await resumeInterruptedImports(database.db);
    const done = await getImportJobOrThrow(database.db, merchantId, job.id);
    // Rows 1–1,000 applied by the first run; 1,001–2,000 again (999 duplicates, row 1,700 rejected
    // again, reported once), 2,001–2,500 applied.
    expect(done).toMatchObject({ status: "done", committedRows: 2500, processed: 2500, applied: 1500, duplicates: 999, rejected: 1 });
    expect(await membersWithPrefix("CRASH")).toBe(2499);
    expect(await eventsWithPrefix("CRASH")).toBe(2499);
    expect(parseCsv(done.report!).rows.map((r) => r.row)).toEqual(["1701"]);
  });

  it("on the job queue: a runner stopped (SIGTERM) after the first chunk queues the import again; the next runner ends it with every row applied once", async () => {
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "q-stop.csv", file: await saveUpload(membersFile("QSTOP", 2500)), mapping, lanes: 1 }, actor);
    expect(await queueRow(job.id)).toMatchObject({ kind: IMPORT_JOB_KIND, state: "queued" });
    let batches = 0;
    let stopping: Promise<void> | undefined;
    const first: JobRunner = new JobRunner({
      db: database.db,
      handlers: {
        [IMPORT_JOB_KIND]: importJobHandler({
          ingest: async (db, m, raws) => {
            const r = await ingestEvents(db, m, raws);
            // The process's SIGTERM handler stops its runner while the first chunk is in flight.
            if (++batches === 1) stopping = first.stop();
            return r;
          },
        }),
      },
    });
    expect(await first.runDue()).toBe(1);
    await stopping;
    expect(await getImportJobOrThrow(database.db, merchantId, job.id)).toMatchObject({ status: "running", committedRows: 1000, applied: 1000 });
    expect(await membersWithPrefix("QSTOP")).toBe(1000);
    // Queued again for the next runner, its attempts reset: a stop is not a failure.
    expect(await queueRow(job.id)).toMatchObject({ state: "queued", attempts: 0, lockedBy: null });

    expect(await resumeInterruptedImports(database.db)).toBeGreaterThanOrEqual(1);
    expect(await getImportJobOrThrow(database.db, merchantId, job.id)).toMatchObject({ status: "done", committedRows: 2500, processed: 2500, applied: 2500, duplicates: 0, rejected: 0 });
    expect(await membersWithPrefix("QSTOP")).toBe(2500);
    expect(await eventsWithPrefix("QSTOP")).toBe(2500);
    expect(await queueRow(job.id)).toMatchObject({ state: "done" });
  });

  it("on the job queue: after a crash mid-import, another runner takes the job over once its lease runs out and ends it; rows of the unrecorded chunk come back as duplicates", async () => {
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "q-crash.csv", file: await saveUpload(membersFile("QCRASH", 2500)), mapping, lanes: 1 }, actor);
    let batches = 0;
    const t0 = Date.now();
    // The crashed process: its second chunk commits, then it hangs for good (no record, no heartbeat that matters).
    const crashed = new JobRunner({
      db: database.db,
      now: () => new Date(t0),
      leaseMs: 60_000,
      handlers: {
        [IMPORT_JOB_KIND]: importJobHandler({
          ingest: async (db, m, raws) => {
            const r = await ingestEvents(db, m, raws);
            if (++batches === 2) return new Promise<never>(() => {});
            return r;
          },
        }),
      },
    });
    void crashed.runDue();
    await expect.poll(async () => (await membersWithPrefix("QCRASH")) === 2000, { timeout: 30_000 }).toBe(true);
    expect(await getImportJobOrThrow(database.db, merchantId, job.id)).toMatchObject({ status: "running", committedRows: 1000 });
    // Within the lease nobody else takes it.
    const during = new JobRunner({ db: database.db, now: () => new Date(t0 + 59_000), handlers: { [IMPORT_JOB_KIND]: importJobHandler() } });
    await during.drain();
    expect(await queueRow(job.id)).toMatchObject({ state: "running", lockedBy: crashed.worker, attempts: 1 });
    // Past it, the restarted server's runner does.
    const after = new JobRunner({ db: database.db, now: () => new Date(t0 + 61_000), handlers: { [IMPORT_JOB_KIND]: importJobHandler() } });
    expect(await after.drain()).toBeGreaterThanOrEqual(1);
    // Rows 1–1,000 applied by the first run, 1,001–2,000 come back as duplicates, 2,001–2,500 applied.
    expect(await getImportJobOrThrow(database.db, merchantId, job.id)).toMatchObject({ status: "done", committedRows: 2500, processed: 2500, applied: 1500, duplicates: 1000, rejected: 0 });
    expect(await membersWithPrefix("QCRASH")).toBe(2500);
    expect(await eventsWithPrefix("QCRASH")).toBe(2500);
    expect(await queueRow(job.id)).toMatchObject({ state: "done", attempts: 2, lockedBy: null });
  });

  it("an unfinished import without a queue job (started before imports ran on the queue) gets one at start", async () => {
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "legacy.csv", file: await saveUpload(membersFile("LEGACY", 3)), mapping, lanes: 1 }, actor);
    await database.db.delete(jobs).where(and(eq(jobs.merchantId, merchantId), eq(jobs.key, importQueueKey(job.id))));
    await ensureImportJobs(database.db);
    await ensureImportJobs(database.db);
    expect(await queueRow(job.id)).toMatchObject({ kind: IMPORT_JOB_KIND, state: "queued", payload: { importId: job.id } });
    await resumeInterruptedImports(database.db);
    expect(await getImportJobOrThrow(database.db, merchantId, job.id)).toMatchObject({ status: "done", applied: 3 });
  });

  it("the members export neutralises a formula in a name; numbers stay numbers", async () => {
    const res = await ingestEvents(database.db, merchantId, [{ id: "r-FX1", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "FX1", data: { name: "-1+cmd|' /C calc'!A0" } }]);
    expect(res[0].status).toBe("applied");
    const text = await new Response(exportMembers(database.db, merchantId, parseMemberListQuery({ q: "FX1" }), { fullPhone: true })).text();
    const line = text.split("\r\n")[1];
    // 会员编号, 姓名, 手机号, 等级 (its name), …, 积分余额 (100 welcome points), 成长值 0, 订单数 0
    expect(line.startsWith("FX1,'-1+cmd|' /C calc'!A0,,普通会员,")).toBe(true);
    expect(line).toContain(",0.00,100,0,0,");
  });

  it("an unfinished import whose file is gone fails on start, saying how far it got", async () => {
    const { job } = await createImportJob(database.db, merchantId, { kind: "members", fileName: "gone.csv", file: await saveUpload(membersFile("GONE", 2)), mapping, lanes: 1 }, actor);
    fs.unlinkSync(importFilePath(merchantId, job.id));
    await resumeInterruptedImports(database.db);
    const failed = await getImportJobOrThrow(database.db, merchantId, job.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("0 rows were applied (0 of 2 rows processed)");
  });
});

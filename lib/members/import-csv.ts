import fs from "node:fs";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { importJobs } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { isUnsafeText } from "@/lib/schemas/text";
import { newId } from "@/lib/util/ids";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { currentProgram } from "@/lib/program/store";
import { ingestEvents } from "@/lib/engine/ingest";
import type { CsvEncoding } from "@/lib/csv/decode";
import type { EventResult } from "@/lib/schemas/events";
import { detectFileEncoding, readCsvRecords } from "@/lib/csv/read-file";
import { csvLine } from "@/lib/csv/write";
import { rowToEvent, suggestMapping } from "@/lib/csv/validate";
import { importFields, type ImportKind } from "@/lib/schemas/members";
import { importFilePath, importReportPath, removeFile } from "./import-files";
import { enqueueJob } from "@/lib/jobs/queue";

export { MAX_IMPORT_BYTES } from "./import-files";
export const IMPORT_BATCH = 1000;

/** What a job's status says when it stops on an unexpected error; the details go to the server log. */
export const IMPORT_FAILED_MESSAGE = "The import stopped on an unexpected error. The rows counted as applied are in; import the file again to finish (rows already in are skipped as duplicates).";

type Column = { name: string; at: number };

/** The header row of a file (trimmed names; unnamed columns left out, as `parseCsv` does). */
const columnsOf = (record: string[]): Column[] => record.map((h, at) => ({ name: h.trim(), at })).filter((c) => c.name !== "");

/** What the mapping step shows: the file's columns, its first rows, and a suggested mapping. */
export async function previewImport(file: string, kind: ImportKind) {
  const encoding = await detectFileEncoding(file);
  let columns: Column[] | null = null;
  const preview: Record<string, string>[] = [];
  let total = 0;
  for await (const record of readCsvRecords(file, encoding)) {
    if (!columns) columns = columnsOf(record);
    else if (total++ < 5) preview.push(Object.fromEntries(columns.map((c) => [c.name, record[c.at] ?? ""])));
  }
  const headers = (columns ?? []).map((c) => c.name);
  if (!headers.length) throw new AppError("validation_failed", "the file has no header row", [{ path: "file", message: "no header row" }]);
  const f = importFields[kind];
  return { encoding, headers, total, preview, mapping: suggestMapping([...f.required, ...f.optional], headers) };
}

/** The background job kind that runs an import (lib/members/import-job.ts); its key is `import:<id>`. */
export const IMPORT_JOB_KIND = "import.run";
export const importQueueKey = (importId: string) => `import:${importId}`;

/**
 * Creates the import's row and, in the same transaction, its background job (kind `import.run`),
 * and moves the uploaded file to the import's place in the import directory, where it stays until
 * the import ends (so a restart resumes it). The server's job runner runs it; `run` runs it here
 * instead (tests, benchmarks): a job that finds its import done or failed does nothing.
 */
export async function createImportJob(
  db: Db,
  merchantId: string,
  input: { kind: ImportKind; fileName: string; file: string; mapping: Record<string, string>; lanes?: number },
  actor: Actor,
) {
  const encoding = await detectFileEncoding(input.file);
  let headers: string[] = [];
  let total = -1;
  for await (const record of readCsvRecords(input.file, encoding)) {
    if (total++ < 0) headers = columnsOf(record).map((c) => c.name);
  }
  total = Math.max(total, 0);
  for (const [field, header] of Object.entries(input.mapping))
    if (header && !headers.includes(header)) throw new AppError("validation_failed", `column "${header}" is not in the file`, [{ path: `mapping.${field}`, message: "not a column of the file" }]);
  const id = newId();
  fs.renameSync(input.file, importFilePath(merchantId, id));
  const [job] = await db.transaction(async (tx) => {
    const rows = await tx
    .insert(importJobs)
    .values({
      merchantId,
      id,
      kind: input.kind,
      status: "queued",
      fileName: input.fileName.slice(0, 200),
      encoding,
      total,
      mapping: input.mapping,
      actor,
      createdBy: actor.kind === "user" ? actor.email : `key ${actor.prefix}`,
    })
    .returning();
    await enqueueJob(tx, { merchantId, kind: IMPORT_JOB_KIND, key: importQueueKey(id), payload: { importId: id, ...(input.lanes ? { lanes: input.lanes } : {}) } });
    return rows;
  });
  return { job, run: () => startImport(db, merchantId, id, { lanes: input.lanes }) };
}

/**
 * Lanes of batches run side by side; a member's rows always share a lane, so they apply in file
 * order. Two on PostgreSQL (a pool of connections); one on the embedded database, whose single
 * connection would interleave the lanes' transactions.
 */
export const defaultImportLanes = () => Math.max(1, Number(process.env.IMPORT_LANES ?? (process.env.DATABASE_URL ? 2 : 1)));

const laneOf = (key: string, lanes: number) => {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(h) % lanes;
};

export type RunImportOptions = { lanes?: number; signal?: AbortSignal; ingest?: typeof ingestEvents };
type Counts = { processed: number; applied: number; duplicates: number; rejected: number };
type Row = { index: number; cells: string[] };

/**
 * The imports this process is running, so SIGTERM can stop them at a batch boundary. On
 * globalThis: Next bundles the instrumentation hook and the route handlers apart, each with its own
 * copy of this module.
 */
const running: Map<string, { controller: AbortController; done: Promise<"done" | "stopped" | "failed"> }> = ((globalThis as Record<symbol, unknown>)[Symbol.for("member-console.imports.running")] ??= new Map()) as never;

/** Runs (or resumes) a job in this process unless it already runs here; answers how it ended. */
export function startImport(db: Db, merchantId: string, jobId: string, opts: Omit<RunImportOptions, "signal"> = {}) {
  const key = `${merchantId}/${jobId}`;
  const existing = running.get(key);
  if (existing) return existing.done;
  const controller = new AbortController();
  const done = runImportJob(db, merchantId, jobId, { ...opts, signal: controller.signal }).finally(() => running.delete(key));
  running.set(key, { controller, done });
  return done;
}

/** Asks every import of this process to stop after its current batch; resolves once they have. */
export async function stopImports() {
  const all = [...running.values()];
  if (all.length) console.log(`Stopping ${all.length} running import(s) after their current batch; they resume at the next start.`);
  for (const r of all) r.controller.abort();
  await Promise.allSettled(all.map((r) => r.done));
}

/**
 * Feeds the file's rows to the engine in chunks of 1,000 per lane, each lane's batch one
 * transaction; after each chunk records the counts, the rows done so far (`committedRows`) and the
 * report's length, so a run stopped anywhere resumes after the last recorded chunk (a chunk whose
 * batches committed but whose record did not is applied again and comes out as duplicates: the
 * event ids are the rows' own keys). Rows the validation or the engine refuses go to the report
 * file, in file order. A batch the database refuses is tried again in halves down to single
 * rows, so only the bad rows are reported. Stops at a chunk boundary when `signal` aborts, leaving the job resumable.
 */
export async function runImportJob(db: Db, merchantId: string, jobId: string, opts: RunImportOptions = {}): Promise<"done" | "stopped" | "failed"> {
  const where = and(eq(importJobs.merchantId, merchantId), eq(importJobs.id, jobId));
  const ingest = opts.ingest ?? ingestEvents;
  const laneCount = opts.lanes ?? defaultImportLanes();
  const [job] = await db.select().from(importJobs).where(where);
  if (!job || job.status === "done" || job.status === "failed") return job?.status === "done" ? "done" : "failed";
  const file = importFilePath(merchantId, jobId);
  const reportFile = importReportPath(merchantId, jobId);
  const counts: Counts = { processed: job.processed, applied: job.applied, duplicates: job.duplicates, rejected: job.rejected };
  let committedRows = job.committedRows;
  if (!fs.existsSync(file)) {
    // Its server stopped and the file went with it (another machine, a cleaned directory): say how far it got.
    await failJob(db, merchantId, jobId, counts, committedRows, `The server stopped during this import and its file is no longer on the server: ${job.applied} rows were applied (${job.committedRows} of ${job.total} rows processed). Import the file again to finish; rows already in are skipped as duplicates.`);
    return "failed";
  }
  try {
    await db.update(importJobs).set({ status: "running", updatedAt: new Date() }).where(where);
    const { timeZone } = await currentProgram(db, merchantId);
    const mapping = job.mapping ?? {};
    let columns: Column[] | null = null;
    let chunk: Row[] = [];
    let index = 0;
    let reportBytes = job.reportBytes;

    const runChunk = async () => {
      const lines: { index: number; line: string }[] = [];
      const reject = (row: Row, reason: string) => {
        counts.rejected++;
        counts.processed++;
        lines.push({ index: row.index, line: csvLine([row.index + 2, reason, ...columns!.map((c) => printable(row.cells[c.at] ?? ""))]) });
      };
      const lanes: { row: Row; event: Record<string, unknown> }[][] = Array.from({ length: laneCount }, () => []);
      for (const row of chunk) {
        const mapped = Object.fromEntries(Object.entries(mapping).map(([field, header]) => [field, cellOf(columns!, row.cells, header)]));
        const r = rowToEvent(job.kind, mapped, timeZone);
        if (!r.ok) {
          reject(row, r.reason);
          continue;
        }
        const key = String(r.event.memberId ?? (r.event.data as { orderId?: string }).orderId ?? row.index);
        lanes[laneOf(key, laneCount)].push({ row, event: r.event });
      }
      await Promise.all(
        lanes.map(async (lane) => {
          if (!lane.length) return;
          const results = await ingestOrSplit(db, merchantId, lane, ingest);
          results.forEach((res, k) => {
            if (res.status === "applied") counts.applied++;
            else if (res.status === "duplicate") counts.duplicates++;
            else return reject(lane[k].row, res.error?.code === "conflict" ? "already imported with different data" : (res.error?.message ?? "rejected"));
            counts.processed++;
          });
        }),
      );
      if (lines.length) {
        const text = lines.sort((a, b) => a.index - b.index).map((l) => l.line).join("");
        fs.appendFileSync(reportFile, text);
        reportBytes += Buffer.byteLength(text);
      }
      committedRows += chunk.length;
      chunk = [];
      await db.update(importJobs).set({ ...counts, committedRows, reportBytes, updatedAt: new Date() }).where(where);
    };

    for await (const record of readCsvRecords(file, job.encoding as CsvEncoding)) {
      if (!columns) {
        columns = columnsOf(record);
        startReport(reportFile, job.reportBytes, columns);
        if (!reportBytes) reportBytes = fs.statSync(reportFile).size;
        continue;
      }
      if (index < committedRows) {
        index++;
        continue;
      }
      chunk.push({ index: index++, cells: record });
      if (chunk.length >= IMPORT_BATCH * laneCount) {
        await runChunk();
        // A macrotask turn between chunks: on the embedded database a batch is all microtasks, and
        // without it requests, timers and SIGTERM's handler waited for several batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (opts.signal?.aborted) {
          console.log(`Import ${jobId} stopped after row ${committedRows} of ${job.total}; it resumes at the next start.`);
          return "stopped";
        }
      }
    }
    if (chunk.length) await runChunk();
    const finishedAt = new Date();
    const report = columns ? fs.readFileSync(reportFile, "utf8") : "row,reason\r\n";
    await db.transaction(async (tx) => {
      await tx.update(importJobs).set({ ...counts, committedRows, status: "done", report, updatedAt: finishedAt, finishedAt }).where(where);
      await writeAudit(tx, (job.actor as Actor | null) ?? null, { merchantId, action: `member.import_${job.kind}`, entity: "import_job", entityId: jobId, after: { total: job.total, ...counts } });
    });
    removeFile(file);
    removeFile(reportFile);
    return "done";
  } catch (err) {
    // The details (a SQL text, a stack) are for the server log only; the job says what a user can act on.
    console.error(`import ${jobId} of merchant ${merchantId} failed after ${committedRows} rows:`, err);
    await failJob(db, merchantId, jobId, counts, committedRows, IMPORT_FAILED_MESSAGE).catch((e) => console.error(`import ${jobId}: could not record the failure:`, e));
    return "failed";
  }
}

const cellOf = (columns: Column[], cells: string[], header: string | undefined) => {
  const c = header ? columns.find((col) => col.name === header) : undefined;
  return c ? cells[c.at] : undefined;
};

/** The report is stored in a text column: a cell's NUL or lone surrogate becomes U+FFFD there. */
const printable = (s: string) => (isUnsafeText(s) ? Array.from(s, (ch) => (isUnsafeText(ch) ? "\uFFFD" : ch)).join("") : s);

/** A fresh run writes the report's header line; a resumed one cuts the report back to its last record. */
function startReport(reportFile: string, committedBytes: number, columns: Column[]) {
  if (committedBytes > 0 && fs.existsSync(reportFile)) fs.truncateSync(reportFile, committedBytes);
  else fs.writeFileSync(reportFile, csvLine(["row", "reason", ...columns.map((c) => printable(c.name))]), { mode: 0o600 });
}

/**
 * One engine transaction for the batch; when the database refuses it (an error, not a per-event
 * rejection), its halves again, down to single rows, so only the bad rows are reported (and a
 * batch of 1,000 with one bad row costs ~20 transactions, not 1,000). When every row fails on its
 * own too, the database itself is failing: the error goes up and the job stops.
 */
async function ingestOrSplit(db: Db, merchantId: string, lane: { row: Row; event: Record<string, unknown> }[], ingest: typeof ingestEvents) {
  let failures = 0;
  let firstError: unknown;
  const attempt = async (part: typeof lane): Promise<EventResult[]> => {
    try {
      return await ingest(db, merchantId, part.map((g) => g.event));
    } catch (e) {
      firstError ??= e;
      if (part.length > 1) {
        const mid = Math.ceil(part.length / 2);
        return [...(await attempt(part.slice(0, mid))), ...(await attempt(part.slice(mid)))];
      }
      failures++;
      console.error(`import row ${part[0].row.index + 2} refused by the database:`, e);
      return [{ id: String(part[0].event.id), status: "rejected", error: { code: "validation_failed", message: "the database refused this row" } }];
    }
  };
  const results = await attempt(lane);
  if (failures === lane.length && lane.length > 1) throw firstError;
  return results;
}

async function failJob(db: Db, merchantId: string, jobId: string, counts: Counts, committedRows: number, message: string) {
  const where = and(eq(importJobs.merchantId, merchantId), eq(importJobs.id, jobId));
  const report = fs.existsSync(importReportPath(merchantId, jobId)) ? fs.readFileSync(importReportPath(merchantId, jobId), "utf8") : null;
  await db.update(importJobs).set({ ...counts, committedRows, status: "failed", report, error: message, updatedAt: new Date(), finishedAt: new Date() }).where(where);
  removeFile(importFilePath(merchantId, jobId));
  removeFile(importReportPath(merchantId, jobId));
}

/**
 * Gives every unfinished import its background job when it has none (imports started before
 * imports ran on the job queue); the runner then resumes each after its last committed chunk.
 */
export async function ensureImportJobs(db: Db, now = new Date()) {
  await db.execute(sql`insert into jobs (merchant_id, kind, key, payload, run_at)
    select merchant_id, ${IMPORT_JOB_KIND}, 'import:' || id, jsonb_build_object('importId', id), ${now.toISOString()}::timestamptz
    from import_jobs where status in ('queued', 'running')
    on conflict (merchant_id, key) do nothing`);
}

export async function getImportJobOrThrow(db: Db, merchantId: string, id: string) {
  if (isUnsafeText(id)) throw new AppError("not_found", "no such import"); // no job has such an id; the database would refuse it
  const [job] = await db.select().from(importJobs).where(and(eq(importJobs.merchantId, merchantId), eq(importJobs.id, id)));
  if (!job) throw new AppError("not_found", `import ${id} not found`);
  return job;
}

/** The job as the progress poll answers it (without the report body or what only a resumed run needs). */
export function importJobView(job: typeof importJobs.$inferSelect) {
  const { report: _report, merchantId: _m, mapping: _mapping, actor: _actor, reportBytes: _rb, ...rest } = job;
  return { ...rest, createdAt: job.createdAt.toISOString(), updatedAt: job.updatedAt.toISOString(), finishedAt: job.finishedAt?.toISOString() ?? null };
}
export type ImportJobView = ReturnType<typeof importJobView>;

export async function listImportJobs(db: Db, merchantId: string, limit = 10) {
  const rows = await db.select().from(importJobs).where(eq(importJobs.merchantId, merchantId)).orderBy(desc(importJobs.createdAt)).limit(limit);
  return rows.map(importJobView);
}

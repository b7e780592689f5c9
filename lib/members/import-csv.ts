import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { importJobs } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/util/ids";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { currentProgram } from "@/lib/program/store";
import { ingestEvents } from "@/lib/engine/ingest";
import { decodeCsv } from "@/lib/csv/decode";
import { parseCsv } from "@/lib/csv/parse";
import { csvLine } from "@/lib/csv/write";
import { rowToEvent, suggestMapping } from "@/lib/csv/validate";
import { importFields, type ImportKind } from "@/lib/schemas/members";

export const IMPORT_BATCH = 1000;
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** What the mapping step shows: the file's columns, its first rows, and a suggested mapping. */
export function previewImport(bytes: Uint8Array, kind: ImportKind) {
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError("payload_too_large", "the file is over 50 MB");
  const { text, encoding } = decodeCsv(bytes);
  const { headers, rows } = parseCsv(text);
  if (!headers.length) throw new AppError("validation_failed", "the file has no header row", [{ path: "file", message: "no header row" }]);
  const f = importFields[kind];
  return { encoding, headers, total: rows.length, preview: rows.slice(0, 5), mapping: suggestMapping([...f.required, ...f.optional], headers) };
}

/** Creates the job row; `runImportJob` then does the work (the caller decides whether to await it). */
export async function createImportJob(
  db: Db,
  merchantId: string,
  input: { kind: ImportKind; fileName: string; bytes: Uint8Array; mapping: Record<string, string>; lanes?: number },
  actor: Actor,
) {
  const { text, encoding } = decodeCsv(input.bytes);
  const { headers, rows } = parseCsv(text);
  for (const [field, header] of Object.entries(input.mapping))
    if (header && !headers.includes(header)) throw new AppError("validation_failed", `column "${header}" is not in the file`, [{ path: `mapping.${field}`, message: "not a column of the file" }]);
  const id = newId();
  const [job] = await db
    .insert(importJobs)
    .values({ merchantId, id, kind: input.kind, status: "queued", fileName: input.fileName.slice(0, 200), encoding, total: rows.length, createdBy: actor.kind === "user" ? actor.email : `key ${actor.prefix}` })
    .returning();
  return { job, run: () => runImportJob(db, merchantId, id, { kind: input.kind, headers, rows, mapping: input.mapping }, actor, input.lanes ?? defaultImportLanes()) };
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

/**
 * Validates every row, then feeds the good ones to the engine in batches of 1,000 (each batch one
 * transaction), recording progress after each. Rows the validation or the engine refuses go to the
 * report, in file order. The engine overlaps database waits with work in this process, so batches
 * run in a few lanes at once, split by member so one member's rows never race each other.
 */
export async function runImportJob(
  db: Db,
  merchantId: string,
  jobId: string,
  file: { kind: ImportKind; headers: string[]; rows: Record<string, string>[]; mapping: Record<string, string> },
  actor: Actor,
  laneCount = 1,
) {
  const where = and(eq(importJobs.merchantId, merchantId), eq(importJobs.id, jobId));
  const rejected: { index: number; reason: string }[] = [];
  const counts = { processed: 0, applied: 0, duplicates: 0, rejected: 0 };
  const reject = (index: number, reason: string) => {
    counts.rejected++;
    counts.processed++;
    rejected.push({ index, reason });
  };
  const report = () =>
    csvLine(["row", "reason", ...file.headers]) +
    rejected
      .sort((a, b) => a.index - b.index)
      // Row 1 is the header, so data row i is line i + 2 of the file.
      .map((r) => csvLine([r.index + 2, r.reason, ...file.headers.map((h) => file.rows[r.index][h] ?? "")]))
      .join("");
  try {
    await db.update(importJobs).set({ status: "running", updatedAt: new Date() }).where(where);
    const { timeZone } = await currentProgram(db, merchantId);
    const lanes: { index: number; event: Record<string, unknown> }[][] = Array.from({ length: laneCount }, () => []);
    file.rows.forEach((row, i) => {
      const mapped = Object.fromEntries(Object.entries(file.mapping).map(([field, header]) => [field, row[header]]));
      const r = rowToEvent(file.kind, mapped, timeZone);
      if (!r.ok) return reject(i, r.reason);
      const key = String(r.event.memberId ?? (r.event.data as { orderId?: string }).orderId ?? i);
      lanes[laneOf(key, laneCount)].push({ index: i, event: r.event });
    });
    const runLane = async (lane: { index: number; event: Record<string, unknown> }[]) => {
      for (let start = 0; start < lane.length; start += IMPORT_BATCH) {
        const batch = lane.slice(start, start + IMPORT_BATCH);
        const results = await ingestEvents(db, merchantId, batch.map((g) => g.event));
        results.forEach((res, k) => {
          if (res.status === "applied") counts.applied++;
          else if (res.status === "duplicate") counts.duplicates++;
          else return reject(batch[k].index, res.error?.code === "conflict" ? "already imported with different data" : (res.error?.message ?? "rejected"));
          counts.processed++;
        });
        await db.update(importJobs).set({ ...counts, updatedAt: new Date() }).where(where);
      }
    };
    await Promise.all(lanes.map(runLane));
    const finishedAt = new Date();
    await db.transaction(async (tx) => {
      await tx.update(importJobs).set({ ...counts, status: "done", report: report(), updatedAt: finishedAt, finishedAt }).where(where);
      await writeAudit(tx, actor, { merchantId, action: `member.import_${file.kind}`, entity: "import_job", entityId: jobId, after: { total: file.rows.length, ...counts } });
    });
  } catch (err) {
    console.error(err);
    await db.update(importJobs).set({ ...counts, status: "failed", report: report(), error: (err as Error).message.slice(0, 500), updatedAt: new Date(), finishedAt: new Date() }).where(where);
  }
}

export async function getImportJobOrThrow(db: Db, merchantId: string, id: string) {
  const [job] = await db.select().from(importJobs).where(and(eq(importJobs.merchantId, merchantId), eq(importJobs.id, id)));
  if (!job) throw new AppError("not_found", `import ${id} not found`);
  return job;
}

/** The job as the progress poll answers it (without the report body). */
export function importJobView(job: typeof importJobs.$inferSelect) {
  const { report: _report, merchantId: _m, ...rest } = job;
  return { ...rest, createdAt: job.createdAt.toISOString(), updatedAt: job.updatedAt.toISOString(), finishedAt: job.finishedAt?.toISOString() ?? null };
}
export type ImportJobView = ReturnType<typeof importJobView>;

export async function listImportJobs(db: Db, merchantId: string, limit = 10) {
  const rows = await db.select().from(importJobs).where(eq(importJobs.merchantId, merchantId)).orderBy(desc(importJobs.createdAt)).limit(limit);
  return rows.map(importJobView);
}

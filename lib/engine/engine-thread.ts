import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Db } from "@/db/client";
import { AppError, type ErrorCode, type Issue } from "@/lib/errors";
import type { EventResult } from "@/lib/schemas/events";
import { ingestGrouped } from "./group-commit";
import { ingestEvents } from "./ingest";

export interface EngineRequest {
  id: number;
  merchantId: string;
  raws: unknown[];
  pathPrefix: (string | number)[];
  grouped: boolean;
}
export type EngineReply =
  | { id: number; ok: true; results: EventResult[] }
  | { id: number; ok: false; error: { code?: ErrorCode; message: string; issues?: Issue[] } };

/** Applies a request on the calling thread (the engine thread's own work, or the main thread's without one). */
export const ingestHere = (db: Db, r: Omit<EngineRequest, "id">) => (r.grouped ? ingestGrouped : ingestEvents)(db, r.merchantId, r.raws, r.pathPrefix);

/** The bundled worker (scripts/build-worker.mjs, run by every build); ENGINE_WORKER_FILE names another (tests). */
// turbopackIgnore: next dev (Turbopack) would otherwise trace, and try to bundle, every file under the project.
const workerFile = () => process.env.ENGINE_WORKER_FILE ?? path.join(/* turbopackIgnore: true */ process.cwd(), ".next", "engine-worker.mjs");

/**
 * Messages between the threads go in lots: what is sent during one turn of the event loop is posted
 * once, at its end (each postMessage wakes the other thread; with one per request and one per reply,
 * posting was 7% of the main thread's time with single events at ~300/s). When a lot cannot be
 * posted (one item cannot be copied: too deeply nested, or not cloneable), its items are posted one
 * by one, so the others still go, and `failed` answers each item that still cannot.
 */
export function coalesced<T>(post: (items: T[]) => void, failed: (item: T, error: unknown) => void): (item: T) => void {
  let lot: T[] | null = null;
  return (item) => {
    if (lot) return void lot.push(item);
    lot = [item];
    setImmediate(() => {
      const items = lot!;
      lot = null;
      try {
        post(items);
      } catch {
        for (const one of items) {
          try {
            post([one]);
          } catch (e) {
            failed(one, e);
          }
        }
      }
    });
  };
}

interface Thread {
  send: (r: EngineRequest) => void;
  worker: Worker;
  pending: Map<number, { resolve: (r: EventResult[]) => void; reject: (e: unknown) => void; here: () => Promise<EventResult[]> }>;
  next: number;
}
// On globalThis: a production build may evaluate this module several times, and one thread is enough.
const holder = globalThis as unknown as { __engineThread?: Thread | null };

/**
 * On PostgreSQL the server applies events on a thread of its own. Each group of events is two round
 * trips to the database; on the main thread every reply waited behind the HTTP requests being parsed
 * and answered there (measured on 2 cores: a group of 4 events took 16–33 ms over HTTP, 4 ms when the
 * same engine ran without HTTP work beside it). The embedded database lives in the main thread's
 * memory and cannot be shared: there, and when the worker is not built (dev, tests) or
 * ENGINE_THREAD=0, events are applied in the calling thread.
 */
function thread(): Thread | null {
  if (holder.__engineThread !== undefined) return holder.__engineThread;
  const url = process.env.DATABASE_URL;
  const file = workerFile();
  if (!url || process.env.ENGINE_THREAD === "0" || !fs.existsSync(file)) return (holder.__engineThread = null);
  // A bundle older than the build (a bare `next build`) may not speak this build's messages.
  const buildId = path.join(path.dirname(file), "BUILD_ID");
  if (!process.env.ENGINE_WORKER_FILE && fs.existsSync(buildId) && fs.statSync(file).mtimeMs < fs.statSync(buildId).mtimeMs) {
    console.warn(`${file} is older than the build (run npm run build): applying events on the main thread`);
    return (holder.__engineThread = null);
  }
  const worker = new Worker(file, { workerData: { url } });
  // A request that cannot be copied to the thread is applied here instead (its validation answers it: a
  // too deeply nested event is rejected), so it is answered and the others of its lot still go.
  const notPosted = (r: EngineRequest) => {
    const p = t.pending.get(r.id);
    if (!p) return;
    t.pending.delete(r.id);
    p.here().then(p.resolve, p.reject);
  };
  const t: Thread = { worker, send: coalesced((lot) => worker.postMessage(lot), notPosted), pending: new Map(), next: 1 };
  worker.unref();
  worker.on("message", (replies: EngineReply[]) => {
    for (const m of replies) {
      const p = t.pending.get(m.id);
      if (!p) continue;
      t.pending.delete(m.id);
      if (m.ok) p.resolve(m.results);
      else p.reject(m.error.code ? new AppError(m.error.code, m.error.message, m.error.issues ?? []) : new Error(`engine thread: ${m.error.message}`));
    }
  });
  // A thread that dies fails what it held; the next request starts a new one.
  const fail = (e: unknown) => {
    if (holder.__engineThread === t) holder.__engineThread = undefined;
    for (const p of t.pending.values()) p.reject(e);
    t.pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`engine thread exited (${code})`)));
  return (holder.__engineThread = t);
}

/** Whether events go to the engine thread (starting it if they would). */
export const engineThreadInUse = () => thread() !== null;

/** Stops the engine thread (its pool closes with it); the next request starts a new one. */
export async function stopEngineThread() {
  const t = holder.__engineThread;
  holder.__engineThread = undefined;
  if (t) await t.worker.terminate();
}

/**
 * Validates and applies events, one result per input in input order: small requests group-committed
 * with concurrent ones (ingestGrouped), big ones alone (ingestEvents); on the engine thread when
 * there is one.
 */
export function ingest(db: Db, merchantId: string, raws: unknown[], pathPrefix: (string | number)[], grouped: boolean): Promise<EventResult[]> {
  const t = thread();
  if (!t) return ingestHere(db, { merchantId, raws, pathPrefix, grouped });
  const id = t.next++;
  return new Promise((resolve, reject) => {
    t.pending.set(id, { resolve, reject, here: () => ingestHere(db, { merchantId, raws, pathPrefix, grouped }) });
    t.send({ id, merchantId, raws, pathPrefix, grouped });
  });
}

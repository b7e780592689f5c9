import type { Db } from "@/db/client";
import type { EventResult } from "@/lib/schemas/events";
import { applyEvents, parseEvents, type Candidate } from "./ingest";

interface Waiting {
  candidates: Candidate[];
  resolve: (r: EventResult[]) => void;
  reject: (e: unknown) => void;
}

const MAX_GROUP = 1000;
const queues = new Map<string, { waiting: Waiting[]; running: boolean }>();

/**
 * Group commit for small requests: events of requests that arrive while a transaction is running
 * wait, then go in together as one batch (one transaction, a handful of statements) instead of one
 * transaction each. No timer: a lone request is applied at once, so latency never grows when idle.
 * Per-event outcomes are exactly those of applying the requests one after another, in arrival order.
 */
export async function ingestGrouped(db: Db, merchantId: string, raws: unknown[], pathPrefix: (string | number)[] = []): Promise<EventResult[]> {
  const { results, candidates } = parseEvents(raws, pathPrefix);
  if (candidates.length) {
    const applied = await new Promise<EventResult[]>((resolve, reject) => {
      let q = queues.get(merchantId);
      if (!q) queues.set(merchantId, (q = { waiting: [], running: false }));
      q.waiting.push({ candidates, resolve, reject });
      if (!q.running) void drain(db, merchantId, q);
    });
    candidates.forEach((c, i) => (results[c.index] = applied[i]));
  }
  return results as EventResult[];
}

async function drain(db: Db, merchantId: string, q: { waiting: Waiting[]; running: boolean }) {
  q.running = true;
  try {
    while (q.waiting.length) {
      const group: Waiting[] = [];
      let size = 0;
      while (q.waiting.length && (group.length === 0 || size + q.waiting[0].candidates.length <= MAX_GROUP)) {
        const w = q.waiting.shift()!;
        group.push(w);
        size += w.candidates.length;
      }
      try {
        const all = await applyEvents(db, merchantId, group.flatMap((w) => w.candidates));
        let at = 0;
        for (const w of group) {
          w.resolve(all.slice(at, at + w.candidates.length));
          at += w.candidates.length;
        }
      } catch (e) {
        for (const w of group) w.reject(e);
      }
    }
  } finally {
    q.running = false;
  }
}

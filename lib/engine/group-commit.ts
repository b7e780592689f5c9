import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import type { EventResult } from "@/lib/schemas/events";
import { applyEvents, parseEvents, type Candidate } from "./ingest";

interface Waiting {
  candidates: Candidate[];
  resolve: (r: EventResult[]) => void;
  reject: (e: unknown) => void;
}

const MAX_GROUP = 1000;
/**
 * Groups of one merchant in flight at once. A group is two round trips (lock + load with BEGIN,
 * write with COMMIT), so one at a time keeps the database busy, and the requests that arrive
 * meanwhile make the next group larger: measured with 8 clients, one in flight applied more
 * events per second than two or three (groups of ~4 against ~2 events; each group's fixed cost —
 * round trips, wake-ups, planning — is most of a small group's). Groups touching the same member
 * or order would go one after the other anyway (the engine's advisory locks), and an event id in
 * two concurrent groups is applied once (the loser's retry finds it stored).
 */
const MAX_IN_FLIGHT = 1;

interface Queue {
  waiting: Waiting[];
  inFlight: number;
  /** A pump is queued as a microtask: requests enqueued in the same turn (a lot from the engine thread) start one group together. */
  scheduled: boolean;
}
const queues = new Map<string, Queue>();

/**
 * Group commit for small requests: events of requests that arrive while transactions are running
 * wait, then go in together as one batch (one transaction, a handful of statements) instead of one
 * transaction each. No timer: a lone request is applied at once, so latency never grows when idle.
 * Per-event outcomes are those of applying the requests one after another in some order that keeps
 * each client's own order (a request is only queued once its sender has had the previous answer).
 */
export async function ingestGrouped(db: Db, merchantId: string, raws: unknown[], pathPrefix: (string | number)[] = []): Promise<EventResult[]> {
  const { results, candidates } = parseEvents(raws, pathPrefix);
  if (candidates.length) {
    const applied = await new Promise<EventResult[]>((resolve, reject) => {
      let q = queues.get(merchantId);
      if (!q) queues.set(merchantId, (q = { waiting: [], inFlight: 0, scheduled: false }));
      q.waiting.push({ candidates, resolve, reject });
      if (q.scheduled) return;
      q.scheduled = true;
      const queue = q;
      queueMicrotask(() => {
        queue.scheduled = false;
        pump(db, merchantId, queue);
      });
    });
    candidates.forEach((c, i) => (results[c.index] = applied[i]));
  }
  return results as EventResult[];
}

/** Starts groups while there are waiting requests and room in flight. */
function pump(db: Db, merchantId: string, q: Queue) {
  while (q.waiting.length && q.inFlight < MAX_IN_FLIGHT) {
    const group: Waiting[] = [];
    let size = 0;
    while (q.waiting.length && (group.length === 0 || size + q.waiting[0].candidates.length <= MAX_GROUP)) {
      const w = q.waiting.shift()!;
      group.push(w);
      size += w.candidates.length;
    }
    q.inFlight++;
    void run(db, merchantId, group).finally(() => {
      q.inFlight--;
      pump(db, merchantId, q);
    });
  }
}

async function run(db: Db, merchantId: string, group: Waiting[]) {
  try {
    const all = await applyEvents(db, merchantId, group.flatMap((w) => w.candidates));
    let at = 0;
    for (const w of group) {
      w.resolve(all.slice(at, at + w.candidates.length));
      at += w.candidates.length;
    }
  } catch (e) {
    // A refusal for the whole merchant (no program) is every request's answer. Any other failure may
    // come from one request's events (something validation let through that the database refuses):
    // apply the requests again one by one, in order, so only that request fails and its neighbours
    // are applied. The failed transaction kept nothing, so nothing is applied twice.
    if (group.length === 1 || e instanceof AppError) {
      for (const w of group) w.reject(e);
      return;
    }
    for (const w of group) {
      try {
        w.resolve(await applyEvents(db, merchantId, w.candidates));
      } catch (one) {
        w.reject(one);
      }
    }
  }
}

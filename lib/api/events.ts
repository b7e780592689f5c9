// The answer of POST /api/v1/events (pages/api/v1/events.ts): one event or { events: [...up to 1000] },
// each applied once, in input order.
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { ingest } from "@/lib/engine/engine-thread";
import { MAX_BATCH } from "@/lib/schemas/events";
import type { JsonAnswer } from "./handler";

export async function postEvents(db: Db, merchantId: string, body: unknown): Promise<JsonAnswer> {
  const isBatch = !!body && typeof body === "object" && !Array.isArray(body) && "events" in body;
  const list = isBatch ? (body as { events: unknown }).events : [body];
  if (!Array.isArray(list)) throw new AppError("validation_failed", "events must be an array", [{ path: "events", message: "must be an array" }]);
  if (list.length === 0) throw new AppError("validation_failed", "events is empty", [{ path: "events", message: "at least one event" }]);
  if (list.length > MAX_BATCH)
    throw new AppError("validation_failed", `at most ${MAX_BATCH} events per request (got ${list.length})`, [{ path: "events", message: `at most ${MAX_BATCH} events` }]);
  // Small requests share transactions with concurrent ones (group commit); big batches go alone.
  const results = await ingest(db, merchantId, list, isBatch ? ["events"] : [], list.length < 100);
  // A batch always answers 200 with a result per event. A single event that is rejected also gets
  // the status of its error (400, 404, 409) and the error shape, beside its result.
  const only = results[0];
  if (!isBatch && only.status === "rejected" && only.error) {
    const status = { validation_failed: 400, not_found: 404, conflict: 409 }[only.error.code] ?? 400;
    return { status, body: { error: only.error, results } };
  }
  return { status: 200, body: { results } };
}

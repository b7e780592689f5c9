// The engine thread (see lib/engine/engine-thread.ts): applies the events the server's main thread
// posts, on a connection pool of its own, so that its round trips to PostgreSQL are answered
// without waiting behind the HTTP work of the main thread's event loop. Bundled by
// scripts/build-worker.mjs into .next/engine-worker.mjs.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "@/db/client";
import { AppError } from "@/lib/errors";
import { coalesced, ingestHere, type EngineReply, type EngineRequest } from "./engine-thread";

const opened = openDatabase({ url: (workerData as { url: string }).url, migrate: false });

// A reply that cannot be posted (its results cannot be copied) is answered by an error of its own.
const reply = coalesced<EngineReply>(
  (lot) => parentPort!.postMessage(lot),
  (r, e) => parentPort!.postMessage([{ id: r.id, ok: false, error: { message: `the answer could not be posted: ${e instanceof Error ? e.message : String(e)}` } }]),
);

parentPort!.on("message", (lot: EngineRequest[]) => {
  for (const m of lot) void apply(m);
});

async function apply(m: EngineRequest) {
  try {
    const { db } = await opened;
    reply({ id: m.id, ok: true, results: await ingestHere(db, m) });
  } catch (e) {
    reply({ id: m.id, ok: false, error: e instanceof AppError ? e.toJSON() : { message: e instanceof Error ? (e.stack ?? e.message) : String(e) } });
  }
}

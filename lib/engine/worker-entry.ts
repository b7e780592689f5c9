// The engine thread (see lib/engine/engine-thread.ts): applies the events the server's main thread
// posts, on a connection pool of its own, so that its round trips to PostgreSQL are answered
// without waiting behind the HTTP work of the main thread's event loop. Bundled by
// scripts/build-worker.mjs into .next/engine-worker.mjs.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "@/db/client";
import { AppError } from "@/lib/errors";
import { ingestGrouped } from "./group-commit";
import { ingestEvents } from "./ingest";
import type { EngineReply, EngineRequest } from "./engine-thread";

const opened = openDatabase({ url: (workerData as { url: string }).url, migrate: false });

parentPort!.on("message", async (m: EngineRequest) => {
  let reply: EngineReply;
  try {
    const { db } = await opened;
    const results = await (m.grouped ? ingestGrouped : ingestEvents)(db, m.merchantId, m.raws, m.pathPrefix);
    reply = { id: m.id, ok: true, results };
  } catch (e) {
    reply = { id: m.id, ok: false, error: e instanceof AppError ? { code: e.code, message: e.message, issues: e.issues } : { message: e instanceof Error ? (e.stack ?? e.message) : String(e) } };
  }
  parentPort!.postMessage(reply);
});

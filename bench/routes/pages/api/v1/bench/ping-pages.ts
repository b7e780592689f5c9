// GET /api/v1/bench/ping-pages — constant JSON from a Pages API route (the events route's kind), beside
// the App Router's /api/v1/bench/ping, for `npm run bench -- ingest`. Bench build only (bench/build-server.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "@/lib/api/handler";

export default function pingPages(_req: IncomingMessage, res: ServerResponse) {
  sendJson(res, 200, { ok: true });
}

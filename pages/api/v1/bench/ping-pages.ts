// GET /api/v1/bench/ping-pages — constant JSON from a Pages API route (the events route's kind), beside
// the App Router's /api/v1/bench/ping, for `npm run bench -- ingest`. Only with BENCH_ROUTES=1; otherwise 404.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "@/lib/api/handler";

export default function pingPages(_req: IncomingMessage, res: ServerResponse) {
  if (process.env.BENCH_ROUTES !== "1") return void res.writeHead(404).end();
  sendJson(res, 200, { ok: true });
}

// POST /api/v1/bench/echo — reads a JSON body and answers constant JSON, on the same kind of route as
// the events route (Pages API, body parser off): what Next alone costs a POST like an event's, for
// `npm run bench -- ingest`. Bench build only (bench/build-server.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { readNodeJson, sendJson } from "@/lib/api/handler";

export const config = { api: { bodyParser: false } };

export default async function echo(req: IncomingMessage, res: ServerResponse) {
  if (req.method !== "POST") return void res.writeHead(404).end();
  await readNodeJson(req);
  sendJson(res, 200, { results: [{ id: "echo", status: "applied" }] });
}

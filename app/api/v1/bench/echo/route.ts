// POST /api/v1/bench/echo — reads a JSON body and answers constant JSON: what the framework alone
// costs a POST like an event's (body read, parse, answer), for `npm run bench -- ingest`.
import { jsonResponse, readJson } from "@/lib/api/handler";
// Only with BENCH_ROUTES=1 (the benchmark's server); otherwise 404.

export async function POST(request: Request) {
  if (process.env.BENCH_ROUTES !== "1") return jsonResponse({ error: { code: "not_found", message: "not found" } }, { status: 404 });
  await readJson(request);
  return jsonResponse({ results: [{ id: "echo", status: "applied" }] });
}

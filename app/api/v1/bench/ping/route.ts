// GET /api/v1/bench/ping — constant JSON: the framework's own ceiling for `npm run bench -- ingest`.
import { jsonResponse } from "@/lib/api/handler";
// Only with BENCH_ROUTES=1 (the benchmark's server); otherwise it does not exist.

export const GET = () =>
  process.env.BENCH_ROUTES === "1" ? jsonResponse({ ok: true }) : jsonResponse({ error: { code: "not_found", message: "not found" } }, { status: 404 });

// GET /api/v1/bench/ping — constant JSON: the framework's own ceiling for `npm run bench -- ingest`.
// Only with BENCH_ROUTES=1 (the benchmark's server); otherwise it does not exist.
import { NextResponse } from "next/server";

export const GET = () =>
  process.env.BENCH_ROUTES === "1" ? NextResponse.json({ ok: true }) : NextResponse.json({ error: { code: "not_found", message: "not found" } }, { status: 404 });

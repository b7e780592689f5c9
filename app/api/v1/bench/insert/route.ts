// POST /api/v1/bench/insert — inserts one row: the one-insert ceiling for `npm run bench -- ingest`.
import { jsonResponse } from "@/lib/api/handler";
// Only with BENCH_ROUTES=1 (the benchmark creates the bench_insert table); otherwise 404.
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

export async function POST() {
  if (process.env.BENCH_ROUTES !== "1") return jsonResponse({ error: { code: "not_found", message: "not found" } }, { status: 404 });
  await (await getDb()).execute(sql`insert into bench_insert default values`);
  return jsonResponse({ ok: true });
}

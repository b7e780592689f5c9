// POST /api/v1/bench/insert — inserts one row: the one-insert ceiling for `npm run bench -- ingest`.
// Bench build only (bench/build-server.ts): the benchmark creates the bench_insert table.
import { sql } from "drizzle-orm";
import { jsonResponse } from "@/lib/api/handler";
import { getDb } from "@/db/client";

export async function POST() {
  await (await getDb()).execute(sql`insert into bench_insert default values`);
  return jsonResponse({ ok: true });
}

// npm run bench -- ingest: events/s over HTTP against `npm start` on the local PostgreSQL, beside
// the same server's constant-JSON, one-insert and body-echo ceilings (routes of the bench's own
// build, bench/build-server.ts), and the bare-SQL floor.
import { spawn } from "node:child_process";
import postgres from "postgres";
import { freshBenchMerchant, startBenchServer } from "./build-server";

const DB_NAME = "bench_ingest";
const PORT = Number(process.env.BENCH_PORT ?? 3400);
const BASE = `http://127.0.0.1:${PORT}`;
const CLIENTS = 8;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 8);
const MEMBERS = 20_000;

/** Runs bench/load.mjs in a plain Node process and returns its rate. */
function load(label: string, mode: string, clients: number, ctx: { key: string; dbUrl: string; merchantId: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const { NODE_OPTIONS: _loader, ...env } = process.env;
    const child = spawn(process.execPath, ["bench/load.mjs", mode, BASE, ctx.key, ctx.dbUrl, ctx.merchantId, String(MEMBERS), String(SECONDS), String(WARMUP), String(clients)], { env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`load ${mode} exited ${code}`));
      const rate = JSON.parse(out.trim().split("\n").at(-1)!).rate as number;
      console.log(`  ${label.padEnd(44)} ${Math.round(rate).toLocaleString("en").padStart(8)} /s`);
      resolve(rate);
    });
  });
}

async function post(path: string, key: string | null, body: unknown) {
  const res = await fetch(BASE + path, { method: "POST", headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });
  const json = (await res.json()) as { results?: { status: string }[] };
  if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

export async function benchIngest(_args: string[]) {
  const { dbUrl, merchantId, key } = await freshBenchMerchant(DB_NAME);
  const sqlc = postgres(dbUrl, { max: 1, onnotice: () => {} });
  await sqlc.unsafe("create table if not exists bench_insert (id bigserial primary key, at timestamptz not null default now())");
  await sqlc.end();

  const server = await startBenchServer(dbUrl, PORT);
  try {
    // Members to order for, registered in batches.
    for (let i = 0; i < MEMBERS; i += 1000)
      await post("/api/v1/events", key, { events: Array.from({ length: 1000 }, (_, j) => ({ id: `reg-${i + j}`, type: "member.registered", occurredAt: "2026-01-01T10:00:00+08:00", memberId: `B${i + j}`, data: {} })) });
    // Fresh tables have no planner statistics yet (autovacuum gets there later): take them now.
    const an = postgres(dbUrl, { max: 1, onnotice: () => {} });
    await an.unsafe("analyze");
    await an.end();
    const ctx = { key, dbUrl, merchantId: merchantId };
    console.log(`\n(a) single-event requests, ${CLIENTS} concurrent clients, ${SECONDS} s each after ${WARMUP} s of warm-up`);
    const ping = await load("ceiling: constant JSON, App Router GET", "ping", CLIENTS, ctx);
    const pingPages = await load("ceiling: constant JSON, Pages API GET", "pingPages", CLIENTS, ctx);
    const insert = await load("ceiling: one insert, App Router POST", "insert", CLIENTS, ctx);
    const echo = await load("ceiling: POST an event's body, Pages API", "echo", CLIENTS, ctx);
    const single = await load("events: one order.paid per request", "single", CLIENTS, ctx);
    console.log(`\n(b) 1000-event batches, 4 concurrent clients`);
    const batch = await load("events: 1000 order.paid per request", "batch", 4, ctx);
    const floor = await load("bare SQL: one event's writes per transaction", "floor", CLIENTS, ctx);
    const inServer = await load("PostgreSQL alone: rows made in SQL, 2 sessions", "inServer", 2, ctx);
    console.log(`\nsummary`);
    const pct = (x: number, of: number) => `${((x / of) * 100).toFixed(0)}%`;
    console.log(`  (a) single events: ${Math.round(single)} events/s = ${pct(single, ping)} of the App Router constant-JSON ceiling (${Math.round(ping)}/s), ${pct(single, pingPages)} of the Pages API one (${Math.round(pingPages)}/s; the events route is a Pages API route), ${pct(single, insert)} of the one-insert route (${Math.round(insert)}/s), ${pct(single, echo)} of a Pages API POST that only reads the same body (${Math.round(echo)}/s); target ≥ 1,000/s and ≥ 60%`);
    console.log(`  (b) batches: ${Math.round(batch)} events/s = ${(batch / floor).toFixed(1)}× the bare-SQL floor (${Math.round(floor)}/s); target ≥ 20,000/s and ≥ 5×`);
    console.log(`  (b) bound: PostgreSQL alone writes ${Math.round(inServer)} events/s of this schema's rows (2 sessions, rows generated in the server, no client or engine); the batches reach ${pct(batch, inServer)} of it`);
  } finally {
    server.stop();
  }
}

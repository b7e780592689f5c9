// npm run bench -- ingest: events/s over HTTP against `npm start` on the local PostgreSQL, beside
// the same server's constant-JSON and one-insert ceilings, and the bare-SQL floor.
import { spawn } from "node:child_process";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey } from "@/lib/tenancy/api-keys";

const ADMIN = process.env.BENCH_ADMIN_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres";
const DB_NAME = "bench_ingest";
const PORT = Number(process.env.BENCH_PORT ?? 3400);
const BASE = `http://127.0.0.1:${PORT}`;
const CLIENTS = 8;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const MEMBERS = 20_000;

async function load(name: string, seconds: number, clients: number, once: (client: number, i: number) => Promise<number>) {
  const end = Date.now() + seconds * 1000;
  let units = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; Date.now() < end; i++) units += await once(c, i);
    }),
  );
  const rate = units / ((Date.now() - t0) / 1000);
  console.log(`  ${name.padEnd(44)} ${Math.round(rate).toLocaleString("en").padStart(8)} /s`);
  return rate;
}

async function post(path: string, key: string | null, body: unknown) {
  const res = await fetch(BASE + path, { method: "POST", headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });
  const json = (await res.json()) as { results?: { status: string }[] };
  if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

export async function benchIngest(_args: string[]) {
  const admin = postgres(ADMIN, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  await admin.end();
  const url = new URL(ADMIN);
  url.pathname = `/${DB_NAME}`;
  const dbUrl = url.toString();
  const setup = await openDatabase({ url: dbUrl });
  const m = await createMerchant(setup.db, { slug: "bench", name: "Bench", demoProgram: true });
  const { key } = await createApiKey(setup.db, m.id, { name: "bench" });
  await setup.close();
  const sqlc = postgres(dbUrl, { max: CLIENTS, onnotice: () => {} });
  await sqlc.unsafe("create table if not exists bench_insert (id bigserial primary key, at timestamptz not null default now())");

  console.log(`starting the server (npm start) on PostgreSQL, port ${PORT}…`);
  const server = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(PORT), HOSTNAME: "127.0.0.1", BENCH_ROUTES: "1", NEXTAUTH_SECRET: "bench", SEED_DEMO_MEMBERS: "0" },
    stdio: "ignore",
    detached: true,
  });
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${BASE}/api/v1/bench/ping`)).ok) break;
      } catch {
        /* not up */
      }
      if (i > 600) throw new Error("server did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
    // Members to order for, registered in batches.
    for (let i = 0; i < MEMBERS; i += 1000)
      await post("/api/v1/events", key, { events: Array.from({ length: 1000 }, (_, j) => ({ id: `reg-${i + j}`, type: "member.registered", occurredAt: "2026-01-01T10:00:00+08:00", memberId: `B${i + j}`, data: {} })) });
    let seq = 0;
    const order = (c: number) => {
      const n = ++seq;
      return { id: `e-${c}-${n}`, type: "order.paid", occurredAt: "2026-03-05T12:00:00+08:00", memberId: `B${(n * 7919) % MEMBERS}`, data: { orderId: `o-${c}-${n}`, amount: 1000 + (n % 50) * 100 } };
    };
    console.log(`\n(a) single-event requests, ${CLIENTS} concurrent clients, ${SECONDS} s each`);
    await load("warm-up", 2, CLIENTS, async (c) => (await post("/api/v1/events", key, order(c)), 1));
    const ping = await load("ceiling: constant JSON (GET /api/v1/bench/ping)", SECONDS, CLIENTS, async () => ((await fetch(`${BASE}/api/v1/bench/ping`)).ok ? 1 : 0));
    const insert = await load("ceiling: one insert (POST /api/v1/bench/insert)", SECONDS, CLIENTS, async () => ((await fetch(`${BASE}/api/v1/bench/insert`, { method: "POST" })).ok ? 1 : 0));
    const single = await load("events: one order.paid per request", SECONDS, CLIENTS, async (c) => {
      const r = await post("/api/v1/events", key, order(c));
      return r.results?.[0]?.status === "applied" ? 1 : 0;
    });
    console.log(`\n(b) 1000-event batches, 4 concurrent clients`);
    const batch = await load("events: 1000 order.paid per request", SECONDS, 4, async (c) => {
      const r = await post("/api/v1/events", key, { events: Array.from({ length: 1000 }, () => order(c + 100)) });
      return r.results?.filter((x) => x.status === "applied").length ?? 0;
    });
    // The bare-SQL floor: what one event needs (event row, order, member update, ledger, lot,
    // growth), one transaction per event, issued directly on 8 connections.
    let k = 0;
    const floor = await load("bare SQL: one event's writes per transaction", SECONDS, CLIENTS, async () => {
      const n = ++k;
      const member = `B${(n * 104729) % MEMBERS}`;
      await sqlc.begin(async (tx) => {
        await tx`insert into events (merchant_id, event_id, type, occurred_at, member_id, body_hash, payload, program_version) values (${m.id}, ${"f" + n}, 'order.paid', now(), ${member}, 'h', '{}', 1)`;
        await tx`insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount) values (${m.id}, ${"fo" + n}, ${member}, ${"f" + n}, now(), current_date, 1000)`;
        await tx`update members set points_balance = points_balance + 10, growth = growth + 10, lifetime_spend = lifetime_spend + 1000, order_count = order_count + 1 where merchant_id = ${m.id} and member_id = ${member}`;
        await tx`insert into points_ledger (merchant_id, member_id, delta, kind, source, reason, occurred_at, business_date) values (${m.id}, ${member}, 10, 'earn', ${"f" + n}, 'floor', now(), current_date)`;
        await tx`insert into points_lots (merchant_id, member_id, source, earned_at, expires_at, amount, remaining) values (${m.id}, ${member}, ${"f" + n}, now(), now() + interval '1 year', 10, 10)`;
        await tx`insert into growth_ledger (merchant_id, member_id, delta, kind, source, reason, occurred_at, business_date) values (${m.id}, ${member}, 10, 'earn', ${"f" + n}, 'floor', now(), current_date)`;
      });
      return 1;
    });
    console.log(`\nsummary`);
    console.log(`  (a) single events: ${Math.round(single)} events/s = ${((single / ping) * 100).toFixed(0)}% of the constant-JSON ceiling (${Math.round(ping)}/s), ${((single / insert) * 100).toFixed(0)}% of the one-insert route (${Math.round(insert)}/s); target ≥ 1,000/s and ≥ 60%`);
    console.log(`  (b) batches: ${Math.round(batch)} events/s = ${(batch / floor).toFixed(1)}× the bare-SQL floor (${Math.round(floor)}/s); target ≥ 20,000/s and ≥ 5×`);
  } finally {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      /* gone */
    }
    await sqlc.end();
  }
}

// npm run bench -- checkout [--members N] [--reuse]: quote → hold → confirm over HTTP against the product's server on the
// local PostgreSQL with 100,000 members, 8 clients, beside the same server's constant-JSON ceiling
// measured in the same run. Targets (issue: checkout): hold and confirm p95 ≤ 25 ms, and
// checkouts/s × 3 requests ≥ 40% of the ceiling.
import { spawn } from "node:child_process";
import postgres from "postgres";
import { count, eq } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { members as membersTable, merchants } from "@/db/schema";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { benchEnv, freshBenchMerchant, startBenchServer } from "./build-server";
import { flag, log } from "./common";

const DB_NAME = "bench_checkout";
const PORT = Number(process.env.BENCH_PORT ?? 3401);
const BASE = `http://127.0.0.1:${PORT}`;
const CLIENTS = 8;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);

interface LoadResult {
  rate: number;
  failures: number;
  p95: { quote: number | null; hold: number | null; confirm: number | null; ping: number | null };
}

function load(mode: "checkout" | "ping", key: string, members: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bench/checkout-load.mjs", mode, BASE, key, String(members), String(SECONDS), String(WARMUP), String(CLIENTS)], { env: benchEnv(), stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult) : reject(new Error(`load ${mode} exited ${code}`))));
  });
}

/** Registers `members` members through the API, each with 100 welcome points and one ¥500 order (500 points): 600 points, enough for six checkouts' 100. */
async function register(members: number, key: string, dbUrl: string) {
  log(`registering ${members.toLocaleString("en")} members with an order each…`);
  const at = new Date(Date.now() - 86_400_000).toISOString();
  for (let i = 0; i < members; i += 500) {
    const events = Array.from({ length: Math.min(500, members - i) }, (_, j) => [
      { id: `reg-${i + j}`, type: "member.registered", occurredAt: at, memberId: `B${i + j}`, data: {} },
      { id: `ord-${i + j}`, type: "order.paid", occurredAt: at, memberId: `B${i + j}`, data: { orderId: `O${i + j}`, amount: 50_000 } },
    ]).flat();
    const res = await fetch(`${BASE}/api/v1/events`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ events }) });
    if (!res.ok) throw new Error(`events → ${res.status}`);
  }
  const an = postgres(dbUrl, { max: 1, onnotice: () => {} });
  await an.unsafe("analyze");
  await an.end();
}

/** The last run's database when it has its `members` members: its merchant with a new API key; else null. */
async function reuseBenchMerchant(name: string, members: number) {
  const url = new URL(process.env.BENCH_ADMIN_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const database = await openDatabase({ url: dbUrl, migrate: false }).catch(() => null);
  if (!database) return null;
  try {
    const [m] = await database.db.select({ id: merchants.id }).from(merchants).where(eq(merchants.slug, "bench"));
    if (!m) return null;
    const [{ n }] = await database.db.select({ n: count() }).from(membersTable).where(eq(membersTable.merchantId, m.id));
    if (n < members) return null;
    const { key } = await createApiKey(database.db, m.id, { name: "bench" });
    log(`reusing ${name}: ${n.toLocaleString("en")} members`);
    return { dbUrl, merchantId: m.id, key };
  } catch {
    return null;
  } finally {
    await database.close();
  }
}

export async function benchCheckout() {
  const members = flag("members", 100_000);
  // --reuse: the last run's database, members and all (with a new key), to compare builds quickly.
  const reused = process.argv.includes("--reuse") ? await reuseBenchMerchant(DB_NAME, members) : null;
  const { dbUrl, key } = reused ?? (await freshBenchMerchant(DB_NAME));

  const server = await startBenchServer(dbUrl, PORT);
  try {
    if (!reused) await register(members, key, dbUrl);
    console.log(`\n${CLIENTS} clients, ${SECONDS} s each after ${WARMUP} s of warm-up; ceiling and checkouts alternated twice`);
    for (let r = 0; r < 2; r++) {
      const ping = await load("ping", key, members);
      const ceiling = ping.rate;
      const checkout = await load("checkout", key, members);
      const ms = (x: number | null) => (x === null ? "–" : `${x.toFixed(1)} ms`);
      console.log(
        `  run ${r + 1}: ceiling ${Math.round(ceiling)} req/s (p95 ${ms(ping.p95.ping)}); ${checkout.rate.toFixed(0)} checkouts/s (${checkout.failures} failed) = ${(checkout.rate * 3).toFixed(0)} req/s = ${((checkout.rate * 3 * 100) / ceiling).toFixed(0)}% of the ceiling; p95 quote ${ms(checkout.p95.quote)}, hold ${ms(checkout.p95.hold)}, confirm ${ms(checkout.p95.confirm)}`,
      );
    }
    console.log(`targets: hold and confirm p95 ≤ 25 ms; checkouts/s × 3 ≥ 40% of the ceiling`);
  } finally {
    server.stop();
  }
}

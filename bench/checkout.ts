// npm run bench -- checkout: quote → hold → confirm over HTTP against the product's server on the
// local PostgreSQL with 100,000 members, 8 clients, beside the same server's constant-JSON ceiling
// measured in the same run. Targets (issue: checkout): hold and confirm p95 ≤ 25 ms, and
// checkouts/s × 3 requests ≥ 40% of the ceiling.
import { spawn } from "node:child_process";
import postgres from "postgres";
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
  p95: { quote: number | null; hold: number | null; confirm: number | null };
}

function load(mode: "checkout" | "ping", key: string, members: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bench/checkout-load.mjs", mode, BASE, key, String(members), String(SECONDS), String(WARMUP), String(CLIENTS)], { env: benchEnv(), stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult) : reject(new Error(`load ${mode} exited ${code}`))));
  });
}

export async function benchCheckout() {
  const members = flag("members", 100_000);
  const { dbUrl, key } = await freshBenchMerchant(DB_NAME);

  const server = await startBenchServer(dbUrl, PORT);
  try {
    // Each member registered (100 welcome points) with one ¥500 order (500 points): 600 points, enough for one checkout's 100.
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

    console.log(`\n${CLIENTS} clients, ${SECONDS} s each after ${WARMUP} s of warm-up; ceiling and checkouts alternated twice`);
    const runs: { ceiling: number; checkout: LoadResult }[] = [];
    for (let r = 0; r < 2; r++) {
      const ceiling = (await load("ping", key, members)).rate;
      const checkout = await load("checkout", key, members);
      runs.push({ ceiling, checkout });
      const ms = (x: number | null) => (x === null ? "–" : `${x.toFixed(1)} ms`);
      console.log(
        `  run ${r + 1}: ceiling ${Math.round(ceiling)} req/s; ${checkout.rate.toFixed(0)} checkouts/s (${checkout.failures} failed) = ${(checkout.rate * 3).toFixed(0)} req/s = ${((checkout.rate * 3 * 100) / ceiling).toFixed(0)}% of the ceiling; p95 quote ${ms(checkout.p95.quote)}, hold ${ms(checkout.p95.hold)}, confirm ${ms(checkout.p95.confirm)}`,
      );
    }
    console.log(`targets: hold and confirm p95 ≤ 25 ms; checkouts/s × 3 ≥ 40% of the ceiling`);
  } finally {
    server.stop();
  }
}

// npm run bench -- mall: points-mall orders over HTTP against the product's server on the local
// PostgreSQL with 100,000 members, 8 clients ordering one item with stock 10,000, beside single-event
// ingestion (one order.paid per request) measured in the same run. Target (issue 22): a mall order
// costs about one event, orders/s ≥ 80% of single events/s.
import { spawn } from "node:child_process";
import postgres from "postgres";
import { benchEnv, freshBenchMerchant, startBenchServer } from "./build-server";
import { flag, log } from "./common";

const DB_NAME = "bench_mall";
const PORT = Number(process.env.BENCH_PORT ?? 3402);
const BASE = `http://127.0.0.1:${PORT}`;
const CLIENTS = 8;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const ITEM = "bench_pen";
const STOCK = 10_000;

interface LoadResult {
  rate: number;
  failures: number;
  outOfStock: number;
  p95: number | null;
}

function load(mode: "mall" | "ingest", key: string, members: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bench/mall-load.mjs", mode, BASE, key, String(members), String(SECONDS), String(WARMUP), String(CLIENTS), ITEM], { env: benchEnv(), stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult) : reject(new Error(`load ${mode} exited ${code}`))));
  });
}

export async function benchMall() {
  const members = flag("members", 100_000);
  const { dbUrl, key } = await freshBenchMerchant(DB_NAME);
  const server = await startBenchServer(dbUrl, PORT);
  const api = (path: string, init: RequestInit = {}) => fetch(`${BASE}${path}`, { ...init, headers: { "content-type": "application/json", authorization: `Bearer ${key}` } });
  try {
    // Each member registered (100 welcome points) with one ¥500 order (500 points): 600 points, enough for one 100-point order.
    log(`registering ${members.toLocaleString("en")} members with an order each…`);
    const at = new Date(Date.now() - 86_400_000).toISOString();
    for (let i = 0; i < members; i += 500) {
      const events = Array.from({ length: Math.min(500, members - i) }, (_, j) => [
        { id: `reg-${i + j}`, type: "member.registered", occurredAt: at, memberId: `B${i + j}`, data: {} },
        { id: `ord-${i + j}`, type: "order.paid", occurredAt: at, memberId: `B${i + j}`, data: { orderId: `O${i + j}`, amount: 50_000 } },
      ]).flat();
      const res = await api("/api/v1/events", { method: "POST", body: JSON.stringify({ events }) });
      if (!res.ok) throw new Error(`events → ${res.status}`);
    }
    const item = { itemId: ITEM, name: "积分笔", nameEn: "Points pen", kind: "goods", points: 100, cash: 0, unitCost: 300, stock: STOCK };
    const made = await api("/api/v1/mall/items", { method: "POST", body: JSON.stringify(item) });
    if (made.status !== 201) throw new Error(`mall item → ${made.status} ${await made.text()}`);
    const an = postgres(dbUrl, { max: 1, onnotice: () => {} });
    await an.unsafe("analyze");

    console.log(`\n${CLIENTS} clients, ${SECONDS} s each after ${WARMUP} s of warm-up; single events, then mall orders (one item, stock ${STOCK.toLocaleString("en")})`);
    const ms = (x: number | null) => (x === null ? "–" : `${x.toFixed(1)} ms`);
    const ingest = await load("ingest", key, members);
    const mall = await load("mall", key, members);
    const [{ stock }] = await an<{ stock: number }[]>`select stock from mall_items where item_id = ${ITEM}`;
    const [{ n }] = await an<{ n: number }[]>`select count(*)::int as n from mall_orders where item_id = ${ITEM} and status = 'placed'`;
    await an.end();
    console.log(`  single events: ${ingest.rate.toFixed(0)} events/s (${ingest.failures} failed), p95 ${ms(ingest.p95)}`);
    console.log(`  mall orders:   ${mall.rate.toFixed(0)} orders/s (${mall.failures} failed, ${mall.outOfStock} out of stock), p95 ${ms(mall.p95)}`);
    console.log(`  orders/s = ${((mall.rate * 100) / ingest.rate).toFixed(0)}% of events/s (target ≥ 80%); stock left ${stock} + ${n} orders placed = ${stock + n} (must be ${STOCK})`);
  } finally {
    server.stop();
  }
}

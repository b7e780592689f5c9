// npm run bench -- webhooks [--n 100000] [--rate 1000] [--rounds 2] [--drain 120] [--members 20000]:
// webhook deliveries to a local receiver that answers at once, beside the ingestion rate with
// webhooks off, in the same run. The product's server (the bench build, bench/build-server.ts) on the
// local PostgreSQL with WEBHOOK_ALLOW_PRIVATE=1; single order.paid events sent at a fixed rate, open
// loop, by bench/webhooks-load.mjs (a plain Node process that is also the receiver), in alternating
// phases without and with an endpoint. `--n` deliveries: the on-phases send n events in all (each
// earns points: one points.earned delivery, plus a tier change now and then). Target (issue 19): lag
// from commit to delivery p95 ≤ 2 s at 1,000 events/s; ingestion no more than 10% below webhooks off.
// JOB_CONCURRENCY in the environment reaches the server (its job runner's slots).
import { spawn } from "node:child_process";
import postgres from "postgres";
import { benchEnv, freshBenchMerchant, startBenchServer } from "./build-server";
import { flag, log } from "./common";

const DB_NAME = "bench_webhooks";
const PORT = Number(process.env.BENCH_PORT ?? 3404);
const BASE = `http://127.0.0.1:${PORT}`;

interface Phase {
  label: string;
  webhooks: boolean;
  sent: number;
  ok: number;
  seconds: number;
  rate: number;
  p50: number | null;
  p95: number | null;
  deliveries?: number;
  earned?: number;
  expected?: number;
  deliverySeconds?: number;
}
interface Dist {
  p50: number | null;
  p95: number | null;
  max: number | null;
}
interface LoadResult {
  phases: Phase[];
  failures: number;
  duplicates: number;
  deliveries: number;
  types: Record<string, number>;
  lag: Dist;
  answerToCommittedAt: Dist;
  committedAtToArrival: Dist;
  signedToArrival: Dist;
}

function load(args: (string | number)[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bench/webhooks-load.mjs", ...args.map(String)], { env: benchEnv(), stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult) : reject(new Error(`webhooks-load exited ${code}`))));
  });
}

export async function benchWebhooks() {
  const n = flag("n", 100_000);
  const rate = flag("rate", 1_000);
  const rounds = flag("rounds", 2);
  const drain = flag("drain", 120);
  const members = flag("members", 20_000);
  const inFlight = flag("in-flight", 64);
  const phaseSeconds = n / rate / rounds;
  const { dbUrl, key } = await freshBenchMerchant(DB_NAME);
  const server = await startBenchServer(dbUrl, PORT, { WEBHOOK_ALLOW_PRIVATE: "1" });
  try {
    log(`registering ${members.toLocaleString("en")} members…`);
    for (let i = 0; i < members; i += 1000) {
      const events = Array.from({ length: Math.min(1000, members - i) }, (_, j) => ({ id: `reg-${i + j}`, type: "member.registered", occurredAt: "2026-01-01T10:00:00+08:00", memberId: `B${i + j}`, data: {} }));
      const res = await fetch(`${BASE}/api/v1/events`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ events }) });
      if (!res.ok) throw new Error(`events → ${res.status}`);
    }
    const an = postgres(dbUrl, { max: 1, onnotice: () => {} });
    await an.unsafe("analyze");
    await an.end();

    const conc = process.env.JOB_CONCURRENCY ?? "4 (default)";
    console.log(`\n${rounds} rounds of ${phaseSeconds.toFixed(1)} s without then with an endpoint, ${rate.toLocaleString("en")} single order.paid events/s sent open loop (≤ ${inFlight} in flight); JOB_CONCURRENCY ${conc}; up to ${drain} s for each round's deliveries`);
    const r = await load([BASE, key, members, rate, phaseSeconds, rounds, drain, inFlight]);

    const ms = (x: number | null) => (x === null ? "–" : `${Math.round(x).toLocaleString("en")} ms`);
    for (const p of r.phases) {
      const extra = p.webhooks ? `; ${p.earned!.toLocaleString("en")} of ${p.expected!.toLocaleString("en")} points.earned delivered (${p.deliveries!.toLocaleString("en")} deliveries in all) in ${p.deliverySeconds!.toFixed(1)} s = ${Math.round(p.deliveries! / p.deliverySeconds!).toLocaleString("en")} deliveries/s` : "";
      console.log(`  ${p.label.padEnd(26)} ${Math.round(p.rate).toLocaleString("en").padStart(6)} events/s answered (${p.ok}/${p.sent}), answer p50 ${ms(p.p50)} p95 ${ms(p.p95)}${extra}`);
    }
    const off = r.phases.filter((p) => !p.webhooks);
    const on = r.phases.filter((p) => p.webhooks);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const offRate = mean(off.map((p) => p.rate));
    const onRate = mean(on.map((p) => p.rate));
    const deliveries = on.reduce((a, p) => a + p.deliveries!, 0);
    const deliverySeconds = on.reduce((a, p) => a + p.deliverySeconds!, 0);
    const earned = on.reduce((a, p) => a + p.earned!, 0);
    const expected = on.reduce((a, p) => a + p.expected!, 0);
    console.log(`\nsummary (${r.failures} events failed, ${r.duplicates} repeated deliveries; types ${JSON.stringify(r.types)})`);
    console.log(`  ingestion: ${Math.round(offRate)} events/s with webhooks off, ${Math.round(onRate)} with them on: ${(((onRate - offRate) / offRate) * 100).toFixed(1)}% (target ≥ −10%; offered ${rate}/s)`);
    console.log(`  deliveries: ${deliveries.toLocaleString("en")} in ${deliverySeconds.toFixed(1)} s of on-phases and their drains = ${Math.round(deliveries / deliverySeconds).toLocaleString("en")}/s; ${earned.toLocaleString("en")} of ${expected.toLocaleString("en")} orders' points.earned arrived`);
    console.log(`  lag from the event's answer to the receiver: p50 ${ms(r.lag.p50)}, p95 ${ms(r.lag.p95)}, max ${ms(r.lag.max)} (target p95 ≤ 2,000 ms; arrived deliveries only)`);
    console.log(`    answer → committed_at (fan-out sequenced it): p50 ${ms(r.answerToCommittedAt.p50)}, p95 ${ms(r.answerToCommittedAt.p95)}`);
    console.log(`    committed_at → arrival (queued as a job, sent): p50 ${ms(r.committedAtToArrival.p50)}, p95 ${ms(r.committedAtToArrival.p95)}`);
    console.log(`    webhook-timestamp (signed, whole seconds) → arrival: p50 ${ms(r.signedToArrival.p50)}, p95 ${ms(r.signedToArrival.p95)}`);
  } finally {
    server.stop();
  }
}

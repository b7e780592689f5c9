// The load generator of `npm run bench -- checkout`, a plain Node process (not under tsx, whose
// loader slows a client several times over). Each client loops quote → hold → confirm for members in
// turn (each member once per run), or GETs the constant-JSON ceiling route (its p95 too: the latency floor
// of any request to this server under the same load).
// Usage: node bench/checkout-load.mjs <checkout|ping> <base> <key> <members> <seconds> <warmup> <clients>
import http from "node:http";

const [mode, base, key, membersArg, secondsArg, warmupArg, clientsArg] = process.argv.slice(2);
const MEMBERS = Number(membersArg);
const clients = Number(clientsArg);
const tag = `${mode}-${Date.now().toString(36)}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };

function request(method, path, body = "") {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(`${base}${path}`, { method, agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

// From a random member on, so runs (and runs on a reused database) mostly meet members with points left.
let seq = Math.floor(Math.random() * MEMBERS);
const times = { quote: [], hold: [], confirm: [], ping: [] };
let failures = 0;
async function checkout(c, record) {
  const n = ++seq;
  const member = `B${(n * 7919) % MEMBERS}`;
  const quote = await request("GET", `/api/v1/members/${member}/checkout?amount=25800`);
  const q = JSON.parse(quote.text);
  const points = Math.min(q.points?.maxUsable ?? 0, 100);
  const hold = await request("POST", `/api/v1/members/${member}/holds`, JSON.stringify({ id: `${tag}-${c}-${n}`, orderId: `${tag}-o-${c}-${n}`, amount: 25_800, points }));
  const confirm = hold.status === 201 ? await request("POST", `/api/v1/holds/${tag}-${c}-${n}/confirm`) : null;
  const ok = quote.status === 200 && hold.status === 201 && confirm?.status === 200;
  if (!ok) {
    failures++;
    if (failures <= 3) console.error("failed:", quote.status, hold.status, hold.text.slice(0, 200), confirm?.status);
    return 0;
  }
  if (record) {
    times.quote.push(quote.ms);
    times.hold.push(hold.ms);
    times.confirm.push(confirm.ms);
  }
  return 1;
}
async function ping(record) {
  const res = await request("GET", "/api/v1/bench/ping");
  if (record) times.ping.push(res.ms);
  return res.status === 200 ? 1 : 0;
}

async function run(seconds, record) {
  const end = Date.now() + seconds * 1000;
  const t0 = Date.now();
  let units = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (Date.now() < end) {
        const done = mode === "ping" ? await ping(record) : await checkout(c, record);
        units += done;
      }
    }),
  );
  return units / ((Date.now() - t0) / 1000);
}
const p95 = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] : null);
await run(Number(warmupArg), false);
const rate = await run(Number(secondsArg), true);
console.log(JSON.stringify({ rate, failures, p95: { quote: p95(times.quote), hold: p95(times.hold), confirm: p95(times.confirm), ping: p95(times.ping) } }));

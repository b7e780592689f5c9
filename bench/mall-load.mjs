// The load generator of `npm run bench -- mall`, a plain Node process (not under tsx, whose loader
// slows a client several times over). Each client loops over members in turn (each member once):
// `mall` places a one-unit order of the bench item; `ingest` sends one order.paid event alone.
// Usage: node bench/mall-load.mjs <mall|ingest> <base> <key> <members> <seconds> <warmup> <clients> <itemId>
import http from "node:http";

const [mode, base, key, membersArg, secondsArg, warmupArg, clientsArg, itemId] = process.argv.slice(2);
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

// Members in a stride so consecutive requests touch different members; the two modes start apart.
let seq = mode === "mall" ? 0 : Math.floor(MEMBERS / 2);
const times = [];
let failures = 0;
let outOfStock = 0;
async function one(c, record) {
  const n = ++seq;
  const member = `B${(n * 7919) % MEMBERS}`;
  const r =
    mode === "mall"
      ? await request("POST", `/api/v1/members/${member}/mall-orders`, JSON.stringify({ id: `${tag}-${c}-${n}`, itemId, quantity: 1 }))
      : await request("POST", "/api/v1/events", JSON.stringify({ id: `${tag}-${c}-${n}`, type: "order.paid", occurredAt: new Date().toISOString(), memberId: member, data: { orderId: `${tag}-o-${c}-${n}`, amount: 25_800 } }));
  const ok = mode === "mall" ? r.status === 201 : r.status === 200 || r.status === 201;
  if (!ok) {
    if (r.status === 409 && r.text.includes("out_of_stock")) outOfStock++;
    else {
      failures++;
      if (failures <= 3) console.error("failed:", r.status, r.text.slice(0, 200));
    }
    return 0;
  }
  if (record) times.push(r.ms);
  return 1;
}

async function run(seconds, record) {
  const end = Date.now() + seconds * 1000;
  const t0 = Date.now();
  let units = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (Date.now() < end) {
        // Awaited first: `units += await …` would read `units` before the await and lose the other clients' counts.
        const done = await one(c, record);
        units += done;
      }
    }),
  );
  return units / ((Date.now() - t0) / 1000);
}
const p95 = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] : null);
await run(Number(warmupArg), false);
const rate = await run(Number(secondsArg), true);
console.log(JSON.stringify({ rate, failures, outOfStock, p95: p95(times) }));

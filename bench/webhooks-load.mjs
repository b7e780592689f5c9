// The load generator and webhook receiver of `npm run bench -- webhooks`, a plain Node process (not
// under tsx, whose loader slows a client several times over). It runs rounds of two phases of equal
// length: "off" (the merchant has no endpoint) and "on" (an endpoint on this process's receiver,
// registered over the API for the types an order emits). In each phase it sends single order.paid
// events at a fixed rate, open loop (sent on schedule, whatever the answers); after an "on" phase it
// waits for that phase's deliveries (up to `drain` seconds), then removes the endpoint. The receiver
// answers 200 at once and notes when each delivery arrived.
// Usage: node bench/webhooks-load.mjs <base> <key> <members> <rate> <phaseSeconds> <rounds> <drainSeconds> <maxInFlight>
import http from "node:http";

const [base, key, membersArg, rateArg, phaseArg, roundsArg, drainArg, inFlightArg] = process.argv.slice(2);
const MEMBERS = Number(membersArg);
const RATE = Number(rateArg);
const PHASE_S = Number(phaseArg);
const ROUNDS = Number(roundsArg);
const DRAIN_S = Number(drainArg);
const MAX_IN_FLIGHT = Number(inFlightArg);
const TYPES = ["points.earned", "member.tier_changed", "right.issued"];
const tag = `wh-${Date.now().toString(36)}`;

// node:http on keep-alive connections, not fetch: fetch costs this process several times the CPU per
// request (bench/load.mjs), and that CPU is taken from the server being measured.
const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
function request(method, path, body = "") {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

// ---- the receiver -------------------------------------------------------------------------------
/** webhook-id → { arrived, type, eventId (points.earned of an order), committedAt, sentAt } */
const received = new Map();
let duplicates = 0;
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const arrived = Date.now();
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    const id = req.headers["webhook-id"];
    if (received.has(id)) return void duplicates++;
    const body = JSON.parse(Buffer.concat(chunks).toString());
    const m = typeof body.data?.source === "string" ? /^ev:(.*):order$/.exec(body.data.source) : null;
    received.set(id, { arrived, type: body.type, eventId: m ? m[1] : null, committedAt: Date.parse(body.timestamp), sentAt: Number(req.headers["webhook-timestamp"]) * 1000 });
  });
});
receiver.keepAliveTimeout = 30_000;
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

// ---- the load -----------------------------------------------------------------------------------
/** event id → when its answer came (ms since the epoch) */
const answered = new Map();
let seq = 0;
let failures = 0;
/**
 * Sends RATE events/s for `seconds`, open loop: every 5 ms, the events due by then are sent (at most
 * MAX_IN_FLIGHT on the wire, the rest wait in the agent's queue). Resolves when every answer came;
 * returns the answered events/s over the phase (first send to last answer) and the answers' p50/p95.
 */
async function phase(seconds, label) {
  const total = Math.round(RATE * seconds);
  const t0 = performance.now();
  const pending = [];
  const times = [];
  let sent = 0;
  let ok = 0;
  const ids = [];
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
      for (; sent < due; sent++) {
        const n = ++seq;
        const id = `${tag}-${n}`;
        const member = `B${(n * 7919) % MEMBERS}`;
        const body = JSON.stringify({ id, type: "order.paid", occurredAt: new Date().toISOString(), memberId: member, data: { orderId: `o-${id}`, amount: 25_800 } });
        const t = performance.now();
        pending.push(
          request("POST", "/api/v1/events", body).then(
            (r) => {
              if (r.status === 200 || r.status === 201) {
                ok++;
                answered.set(id, Date.now());
                ids.push(id);
                times.push(performance.now() - t);
              } else if (++failures <= 3) console.error("event failed:", r.status, r.text.slice(0, 200));
            },
            (e) => {
              if (++failures <= 3) console.error("event failed:", e.message);
            },
          ),
        );
      }
      if (sent < total) setTimeout(tick, 5);
      else resolve();
    };
    tick();
  });
  const sendS = (performance.now() - t0) / 1000;
  await Promise.all(pending);
  const s = (performance.now() - t0) / 1000;
  console.error(`  ${label}: ${total} events sent in ${sendS.toFixed(1)} s, answered in ${s.toFixed(1)} s`);
  return { label, sent: total, ok, seconds: s, rate: ok / s, p50: pct(times, 0.5), p95: pct(times, 0.95), ids };
}
const pct = (xs, p) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : null);

async function api(method, path, body) {
  const r = await request(method, path, body ? JSON.stringify(body) : "");
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${r.text.slice(0, 200)}`);
  return r.text ? JSON.parse(r.text) : null;
}

// Warm-up: a fresh server's JIT (and the receiver's path) needs a few thousand requests.
{
  const ep = await api("POST", "/api/v1/webhooks", { url: receiverUrl, types: TYPES, description: "bench warm-up" });
  const warm = await phase(Math.min(3, PHASE_S), "warm-up (endpoint on)");
  // Its deliveries arrive before the rounds begin (a removed endpoint's queued ones would be run, and failed, in round 1).
  const deadline = Date.now() + DRAIN_S * 1000;
  while (received.size < warm.ok && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  console.error(`  warm-up: ${received.size} deliveries`);
  await api("DELETE", `/api/v1/webhooks/${ep.id}`);
  received.clear();
  answered.clear();
  failures = 0;
}

const phases = [];
for (let round = 1; round <= ROUNDS; round++) {
  const off = await phase(PHASE_S, `round ${round}, webhooks off`);
  phases.push({ ...off, ids: undefined, webhooks: false });
  const ep = await api("POST", "/api/v1/webhooks", { url: receiverUrl, types: TYPES, description: `bench round ${round}` });
  const before = received.size;
  const tOn = Date.now();
  const on = await phase(PHASE_S, `round ${round}, webhooks on`);
  // Every on-phase event earns points: wait for its points.earned delivery (and whatever came with it).
  const want = new Set(on.ids);
  const deadline = Date.now() + DRAIN_S * 1000;
  const earned = () => {
    let n = 0;
    for (const d of received.values()) if (d.eventId && want.has(d.eventId)) n++;
    return n;
  };
  let got;
  while ((got = earned()) < want.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const drainedAt = Date.now();
  console.error(`  round ${round}: ${got} of ${want.size} points.earned deliveries ${got < want.size ? `after the ${DRAIN_S} s drain limit` : `${((drainedAt - tOn) / 1000).toFixed(1)} s after the phase began`}`);
  await api("DELETE", `/api/v1/webhooks/${ep.id}`);
  phases.push({ ...on, ids: undefined, webhooks: true, deliveries: received.size - before, earned: got, expected: want.size, deliverySeconds: (drainedAt - tOn) / 1000 });
}

// Lag of each points.earned delivery of an order: from the event's answer (its commit, as the
// client sees it), and its parts: answer → committed_at (the fan-out sequenced it), committed_at →
// webhook-timestamp (queued until a runner sent it; whole seconds), webhook-timestamp → arrival.
const lags = [];
const toSeq = [];
const seqToArrive = [];
const sendToArrive = [];
let firstArrival = Infinity;
let lastArrival = 0;
for (const d of received.values()) {
  firstArrival = Math.min(firstArrival, d.arrived);
  lastArrival = Math.max(lastArrival, d.arrived);
  const at = d.eventId ? answered.get(d.eventId) : undefined;
  if (at === undefined) continue;
  lags.push(d.arrived - at);
  toSeq.push(d.committedAt - at);
  seqToArrive.push(d.arrived - d.committedAt);
  sendToArrive.push(d.arrived - d.sentAt);
}
const types = {};
for (const d of received.values()) types[d.type] = (types[d.type] ?? 0) + 1;
const ms = (xs) => ({ p50: pct(xs, 0.5), p95: pct(xs, 0.95), max: pct(xs, 1) });
console.log(
  JSON.stringify({
    phases,
    failures,
    duplicates,
    deliveries: received.size,
    types,
    deliveryRate: received.size ? received.size / Math.max(0.001, (lastArrival - firstArrival) / 1000) : 0,
    lag: ms(lags),
    answerToCommittedAt: ms(toSeq),
    committedAtToArrival: ms(seqToArrive),
    signedToArrival: ms(sendToArrive),
  }),
);
receiver.close();
agent.destroy();
process.exit(0);

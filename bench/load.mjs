// The load generator of `npm run bench -- ingest`, run as a plain Node process of its own (not
// under tsx, whose loader slowed the measured client several times over in this benchmark).
// Usage: node bench/load.mjs <ping|pingPages|insert|echo|single|batch|floor|inServer> <base> <key> <dbUrl> <merchantId> <members> <seconds> <warmup> <clients>
import http from "node:http";
import postgres from "postgres";

const [mode, base, key, dbUrl, merchantId, membersArg, secondsArg, warmupArg, clientsArg] = process.argv.slice(2);
const MEMBERS = Number(membersArg);
const clients = Number(clientsArg);
let seq = 0;
const tag = `${mode}-${Date.now().toString(36)}`;
const order = (c) => {
  const n = ++seq;
  return { id: `${tag}-${c}-${n}`, type: "order.paid", occurredAt: "2026-03-05T12:00:00+08:00", memberId: `B${(n * 7919) % MEMBERS}`, data: { orderId: `${tag}-o-${c}-${n}`, amount: 1000 + (n % 50) * 100 } };
};
// node:http on keep-alive connections, not fetch: with single events fetch (undici) cost this process
// 1.26 ms of CPU per request against 0.26 ms for node:http (/proc counters, 8 clients), and on 2
// shared cores that CPU was taken from the server being measured.
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
function request(method, path, headers = {}, body = "") {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ ok: res.statusCode >= 200 && res.statusCode < 300, status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
/** 1 for a 2xx answer, else 0 (the calibration routes). */
const answered = async (...args) => ((await request(...args)).ok ? 1 : 0);
const asJson = { "content-type": "application/json", authorization: `Bearer ${key}` };
async function post(body) {
  const res = await request("POST", "/api/v1/events", asJson, JSON.stringify(body));
  const json = JSON.parse(res.text);
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json.results.filter((r) => r.status === "applied").length;
}
const sql = mode === "floor" || mode === "inServer" ? postgres(dbUrl, { max: clients, onnotice: () => {} }) : null;
const conns = [];
const once = {
  ping: () => answered("GET", "/api/v1/bench/ping"),
  pingPages: () => answered("GET", "/api/v1/bench/ping-pages"),
  insert: () => answered("POST", "/api/v1/bench/insert"),
  // The framework's own cost of a POST like an event's: the same body, read and parsed, constant answer.
  echo: (c) => answered("POST", "/api/v1/bench/echo", asJson, JSON.stringify(order(c))),
  single: (c) => post(order(c)),
  batch: (c) => post({ events: Array.from({ length: 1000 }, () => order(c)) }),
  // What one event needs, issued directly: event row, order, member update, ledger row, lot, growth row.
  // Each client keeps one connection and sends a transaction's eight statements (BEGIN … COMMIT)
  // without waiting between them (postgres.js pipelines them on the connection): one round trip
  // per event, the least a client can make it.
  floor: async (c) => {
    const n = ++seq;
    const member = `B${(n * 104729) % MEMBERS}`;
    const id = `${tag}-${n}`;
    const tx = (conns[c] ??= await sql.reserve());
    await Promise.all([
      tx`begin`,
      tx`insert into events (merchant_id, event_id, type, occurred_at, member_id, body_hash, payload, program_version) values (${merchantId}, ${id}, 'order.paid', now(), ${member}, 'h', '{}', 1)`,
      tx`insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount) values (${merchantId}, ${id}, ${member}, ${id}, now(), current_date, 1000)`,
      tx`update members set points_balance = points_balance + 10, growth = growth + 10, lifetime_spend = lifetime_spend + 1000, order_count = order_count + 1 where merchant_id = ${merchantId} and member_id = ${member}`,
      tx`insert into points_ledger (merchant_id, member_id, delta, kind, source, reason, occurred_at, business_date) values (${merchantId}, ${member}, 10, 'earn', ${id}, 'floor', now(), current_date)`,
      tx`insert into points_lots (merchant_id, member_id, source, earned_at, expires_at, amount, remaining) values (${merchantId}, ${member}, ${id}, now(), now() + interval '1 year', 10, 10)`,
      tx`insert into growth_ledger (merchant_id, member_id, delta, kind, source, reason, occurred_at, business_date) values (${merchantId}, ${member}, 10, 'earn', ${id}, 'floor', now(), current_date)`,
      tx`commit`,
    ]);
    return 1;
  },
  // What PostgreSQL alone can write: a 1,000-order-event batch's rows (event with its JSON body, order,
  // points and growth ledger rows, lot, member update) generated inside the server by one statement,
  // one transaction per batch. No client, no parameters to parse, no engine: the most set-based
  // writes of this schema can reach here, the bound for (b). One statement text (IN_SERVER: $2 the
  // batch's id prefix, $3 its number), prepared once per connection like the engine's.
  inServer: async (c) => {
    const n = ++seq;
    await sql.unsafe(IN_SERVER, [merchantId, `${tag}-${c}-${n}-`, n]);
    return 1000;
  },
}[mode];
const IN_SERVER = (() => {
  const ev = `($2::text || i)`;
  const member = `'B' || (($3::int * 1000 + i) * 7919 % ${MEMBERS})`;
  const at = `'2026-03-05 04:00:00+00'::timestamptz`;
  return `with g as (select i from generate_series(1, 1000) i),
      e as (insert into events (merchant_id, event_id, type, occurred_at, member_id, body_hash, payload, program_version)
        select $1, ${ev}, 'order.paid', ${at}, ${member}, md5(i::text), jsonb_build_object('id', ${ev}, 'type', 'order.paid', 'occurredAt', '2026-03-05T12:00:00+08:00',
          'memberId', ${member}, 'data', jsonb_build_object('orderId', 'o-' || ${ev}, 'amount', 1000 + i)), 1 from g),
      o as (insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount, points_earned, growth_earned, tier_at_order)
        select $1, 'o-' || ${ev}, ${member}, ${ev}, ${at}, '2026-03-05', 1000 + i, 10, 10, 'basic' from g),
      p as (insert into points_ledger (merchant_id, member_id, delta, kind, source, rule, reason, program_version, occurred_at, business_date)
        select $1, ${member}, 10, 'earn', 'ev:' || ${ev} || ':order', 'order', 'order o-' || ${ev} || ' ¥10.00 × 1/yuan × tier 100% × campaign 100%', 1, ${at}, '2026-03-05' from g),
      gr as (insert into growth_ledger (merchant_id, member_id, delta, kind, source, rule, reason, program_version, occurred_at, business_date)
        select $1, ${member}, 10, 'earn', 'ev:' || ${ev} || ':order', 'order', 'order o-' || ${ev} || ' ¥10.00 × 1/yuan', 1, ${at}, '2026-03-05' from g),
      l as (insert into points_lots (merchant_id, member_id, source, earned_at, expires_at, amount, remaining)
        select $1, ${member}, 'ev:' || ${ev} || ':order', ${at}, '2027-03-05 16:00:00+00', 10, 10 from g)
      update members set points_balance = points_balance + 10, growth = growth + 10, lifetime_spend = lifetime_spend + 1000, order_count = order_count + 1,
        last_order_at = ${at}, updated_at = now()
      where merchant_id = $1 and member_id in (select ${member} from g)`;
})();

async function run(seconds) {
  const end = Date.now() + seconds * 1000;
  const t0 = Date.now();
  let units = 0;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    while (Date.now() < end) {
      const done = await once(c); // not `units += await …`: that reads units before the await and loses the other clients' counts
      units += done;
    }
  }));
  return units / ((Date.now() - t0) / 1000);
}
await run(Number(warmupArg)); // a fresh server's JIT needs a few thousand requests
console.log(JSON.stringify({ rate: await run(Number(secondsArg)) }));
for (const conn of conns) conn.release();
await sql?.end();

import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { periodRuns } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { ingestEvents } from "@/lib/engine/ingest";
import { addDays, businessDate } from "@/lib/util/dates";
import { testDatabases } from "../db";

// Over the API: an event the database would refuse, or nested 5,000 deep, is a 400 of its own (a
// batch rejects only it); the period job refuses a day that has not ended (route and CLI, one
// check); metric ranges outside sane years are a 400, not a 500.
const current = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: async () => current.db }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => null }));
const jobs$ = await import("@/app/api/v1/jobs/period/route");
const metric$ = await import("@/app/api/v1/metrics/[name]/route");
const eventsRoute = (await import("@/pages/api/v1/events")).default;

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Json {
  error?: { code: string; issues?: { path: string }[] };
  daysRun?: number;
  results?: { status: string; error?: { issues?: { path: string }[] } }[];
}
async function call(h: Handler, method: string, key: string, opts: { body?: unknown; raw?: string; params?: Record<string, string>; query?: string } = {}) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await h(new Request(`http://test/api${opts.query ?? ""}`, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  return { status: res.status, json: (await res.json()) as Json };
}
const run = promisify(execFile);
/** The events route is a Pages API route (Node request and response): served by a Node server of its own. */
let eventsUrl = "";
const eventsServer = http.createServer((req, res) => void eventsRoute(req, res));
const eventsPOST: Handler = async (req) => fetch(eventsUrl, { method: req.method, headers: req.headers, body: await req.text() });
beforeAll(async () => {
  await new Promise<void>((resolve) => eventsServer.listen(0, "127.0.0.1", resolve));
  eventsUrl = `http://127.0.0.1:${(eventsServer.address() as AddressInfo).port}/api/v1/events`;
});
afterAll(() => new Promise<void>((resolve) => eventsServer.close(() => resolve())));

describe.each(testDatabases)("period job and metric dates on $name", ({ name, open }) => {
  let database: Database & { url?: string };
  let db: Db;
  let merchantId: string;
  let key: string;
  /** Another merchant's key for the events test (its history would lengthen the period job's walk). */
  let evKey: string;
  // The demo program's time zone is Asia/Shanghai.
  const today = () => businessDate(new Date(), "Asia/Shanghai");
  beforeAll(async () => {
    database = await open();
    db = database.db;
    current.db = db;
    merchantId = (await createMerchant(db, { slug: "pg-guard", name: "P", demoProgram: true })).id;
    key = (await createApiKey(db, merchantId, { name: "k" })).key;
    evKey = (await createApiKey(db, (await createMerchant(db, { slug: "ev-guard", name: "E", demoProgram: true })).id, { name: "k" })).key;
    await ingestEvents(db, merchantId, [{ id: "r", type: "member.registered", occurredAt: new Date(Date.now() - 3 * 86_400_000).toISOString(), memberId: "M", data: {} }]);
  });
  afterAll(() => database.close());

  it("POST /events: a NUL, a year-1969 date or 5,000 nested arrays → 400 naming the field; a batch rejects only that event", async () => {
    const reg = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: id, data: {}, ...extra });
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const post = (raw: string) => call(eventsPOST, "POST", evKey, { raw });
    const single = [
      await post(JSON.stringify(reg("E1", { data: { name: "a\u0000b" } }))),
      await post(JSON.stringify(reg("E2", { occurredAt: "1969-12-31T23:00:00Z" }))),
      await post(`{"id":"E3","type":"review.posted","occurredAt":"2026-03-02T09:00:00+08:00","memberId":"M","data":{"a":${deep}}}`),
    ];
    expect(single.map((r) => [r.status, r.json.error?.code, r.json.error?.issues?.[0]?.path.replace(/(\.0)+$/, "")])).toEqual([
      [400, "validation_failed", "data.name"],
      [400, "validation_failed", "occurredAt"],
      [400, "validation_failed", "data.a"],
    ]);
    const batch = await post(`{"events":[${JSON.stringify(reg("E4"))},{"id":"E5","type":"review.posted","occurredAt":"2026-03-02T09:00:00+08:00","memberId":"M","data":{"a":${deep}}},${JSON.stringify(reg("E6", { data: { name: "\ud800" } }))},${JSON.stringify(reg("E7"))}]}`);
    expect([batch.status, batch.json.results?.map((r) => r.status)]).toEqual([200, ["applied", "rejected", "rejected", "applied"]]);
  });

  it("POST /jobs/period: asOf today or later → 400 naming asOf, nothing run; yesterday runs", async () => {
    for (const asOf of [today(), addDays(today(), 1), "2099-12-31"]) {
      const r = await call(jobs$.POST as Handler, "POST", key, { body: { asOf } });
      expect([r.status, r.json.error?.code, r.json.error?.issues?.map((i) => i.path)]).toEqual([400, "validation_failed", ["asOf"]]);
    }
    expect(await db.$count(periodRuns, eq(periodRuns.merchantId, merchantId))).toBe(0);
    const ok = await call(jobs$.POST as Handler, "POST", key, { body: { asOf: addDays(today(), -1) } });
    expect(ok.status).toBe(200);
    expect(ok.json.daysRun).toBeGreaterThan(0);
  });

  it.runIf(name === "postgres")("the CLI's jobs period refuses the same dates", { timeout: 60_000 }, async () => {
    const cli = (asOf: string) =>
      run("npx", ["tsx", "cli/index.ts", "jobs", "period", "--merchant", "pg-guard", "--as-of", asOf], { env: { ...process.env, DATABASE_URL: database.url } }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stderr: string }) => ({ code: e.code, out: e.stderr }),
      );
    const refused = await cli(addDays(today(), 1));
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/asOf: must not be after/);
    expect((await cli(addDays(today(), -1))).code).toBe(0);
  });

  it("GET /metrics: from/to before 2000, after 2100 or malformed → 400", async () => {
    const get = (query: string) => call(metric$.GET as Handler, "GET", key, { params: { name: "tier-distribution" }, query });
    for (const q of ["?from=0000-01-01&to=2026-01-31", "?from=1999-12-01&to=2000-01-31", "?from=2100-12-01&to=2101-01-31", "?from=2026-02-30&to=2026-03-31", "?from=20260101&to=2026-03-31"]) {
      const r = await get(q);
      expect([q, r.status, r.json.error?.code]).toEqual([q, 400, "validation_failed"]);
    }
    expect((await get("?from=2026-01-01&to=2026-01-31")).status).toBe(200);
  });
});

import { execFile } from "node:child_process";
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

// The period job refuses a day that has not ended (route and CLI, one check); metric ranges outside
// sane years are a 400, not a 500.
const current = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: async () => current.db }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => null }));
const jobs$ = await import("@/app/api/v1/jobs/period/route");
const metric$ = await import("@/app/api/v1/metrics/[name]/route");

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Json {
  error?: { code: string; issues?: { path: string }[] };
  daysRun?: number;
}
async function call(h: Handler, method: string, key: string, opts: { body?: unknown; params?: Record<string, string>; query?: string } = {}) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const res = await h(new Request(`http://test/api${opts.query ?? ""}`, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  return { status: res.status, json: (await res.json()) as Json };
}
const run = promisify(execFile);

describe.each(testDatabases)("period job and metric dates on $name", ({ name, open }) => {
  let database: Database & { url?: string };
  let db: Db;
  let merchantId: string;
  let key: string;
  // The demo program's time zone is Asia/Shanghai.
  const today = () => businessDate(new Date(), "Asia/Shanghai");
  beforeAll(async () => {
    database = await open();
    db = database.db;
    current.db = db;
    merchantId = (await createMerchant(db, { slug: "pg-guard", name: "P", demoProgram: true })).id;
    key = (await createApiKey(db, merchantId, { name: "k" })).key;
    await ingestEvents(db, merchantId, [{ id: "r", type: "member.registered", occurredAt: new Date(Date.now() - 3 * 86_400_000).toISOString(), memberId: "M", data: {} }]);
  });
  afterAll(() => database.close());

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

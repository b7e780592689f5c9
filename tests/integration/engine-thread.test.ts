import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { members, orders } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { AppError } from "@/lib/errors";
import { engineThreadInUse, ingest, stopEngineThread } from "@/lib/engine/engine-thread";
import { buildEngineWorker } from "../../scripts/build-worker.mjs";
import { testDatabases } from "../db";

// The events route's dispatcher: on PostgreSQL through the engine thread (the bundled worker), on
// PGlite in the calling thread; the outcomes must be the same.
describe.each(testDatabases)("engine thread on $name", ({ name, open }) => {
  let database: Database & { url?: string };
  let merchantId: string;
  const saved = { url: process.env.DATABASE_URL, file: process.env.ENGINE_WORKER_FILE };
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "thr", name: "Thread", demoProgram: true })).id;
    await stopEngineThread();
    if (database.url) {
      process.env.DATABASE_URL = database.url;
      process.env.ENGINE_WORKER_FILE = await buildEngineWorker(`node_modules/.cache/engine-worker-test-${process.pid}.mjs`);
    } else delete process.env.DATABASE_URL;
  });
  afterAll(async () => {
    await stopEngineThread();
    if (process.env.ENGINE_WORKER_FILE && process.env.ENGINE_WORKER_FILE !== saved.file) fs.rmSync(process.env.ENGINE_WORKER_FILE, { force: true });
    for (const [k, v] of [["DATABASE_URL", saved.url], ["ENGINE_WORKER_FILE", saved.file]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await database.close();
  });

  it("runs on the thread only on PostgreSQL", () => {
    expect(engineThreadInUse()).toBe(name === "postgres");
  });

  it("applies a batch and concurrent single events once each, with duplicates, conflicts and rejections", async () => {
    const db = database.db;
    const reg = await ingest(db, merchantId, [{ id: "t-reg", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "T1", data: {} }], ["events"], false);
    expect(reg).toEqual([{ id: "t-reg", status: "applied" }]);
    const order = (i: number, amount = 1234) => ({ id: `t-o${i}`, type: "order.paid", occurredAt: "2026-03-05T10:00:00+08:00", memberId: "T1", data: { orderId: `T-O${i}`, amount } });
    // 20 orders of ¥12.34 sent at once as single-event requests (group-committed), the first of
    // them twice more: once as is (a duplicate), once with another amount (a conflict).
    const sent = [...Array.from({ length: 20 }, (_, i) => order(i)), order(0), order(0, 999)];
    const results = (await Promise.all(sent.map((e) => ingest(db, merchantId, [e], [], true)))).map(([r]) => r);
    expect(results.filter((r) => r.status === "applied")).toHaveLength(20);
    expect(results.filter((r) => r.status === "duplicate")).toHaveLength(1);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected.map((r) => r.error?.code)).toEqual(["conflict"]);
    // Welcome pack 100 points, then floor(12.34) = 12 points and 12 growth per order.
    const [m] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, "T1")));
    expect({ points: m.pointsBalance, growth: m.growth, orders: m.orderCount, spend: m.lifetimeSpend, tier: m.tierCode }).toEqual({ points: 340, growth: 240, orders: 20, spend: 24680, tier: "basic" });
    expect(await db.$count(orders, eq(orders.merchantId, merchantId))).toBe(20);
  });

  it("answers rejections per event and throws the engine's errors as AppErrors", async () => {
    const db = database.db;
    const [bad] = await ingest(db, merchantId, [{ id: "t-bad", type: "order.paid", occurredAt: "2026-03-05T10:00:00+08:00", memberId: "T1", data: { orderId: "X", amount: -5 } }], [], true);
    expect(bad.status).toBe("rejected");
    expect(bad.error?.code).toBe("validation_failed");
    expect(bad.error?.issues?.map((i) => i.path)).toEqual(["data.amount"]);
    const [unknown] = await ingest(db, merchantId, [{ id: "t-unk", type: "order.paid", occurredAt: "2026-03-05T10:00:00+08:00", memberId: "NOBODY", data: { orderId: "Y", amount: 100 } }], ["events"], false);
    expect(unknown.error?.code).toBe("not_found");
    const bare = (await createMerchant(db, { slug: "thr-bare", name: "No program" })).id;
    const err = await ingest(db, bare, [{ id: "t-np", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "Z", data: {} }], [], true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("not_found");
  });

  it("a request that cannot be copied to the thread is still answered, and the rest of its lot is applied", async () => {
    const db = database.db;
    // 5,000 nested arrays overflow the stack of postMessage's copy (they parse fine from JSON).
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    const reg = (id: string, data: unknown = {}) => ({ id, type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: id.toUpperCase(), data });
    // Sent in one turn: one lot for the thread.
    const sent = [reg("t-l1"), reg("t-l2"), reg("t-deep", { a: deep }), reg("t-l3"), reg("t-l4")];
    const results = (await Promise.all(sent.map((e) => ingest(db, merchantId, [e], [], true)))).map(([r]) => r);
    expect(results.map((r) => [r.id, r.status, r.error?.code])).toEqual([
      ["t-l1", "applied", undefined],
      ["t-l2", "applied", undefined],
      ["t-deep", "rejected", "validation_failed"],
      ["t-l3", "applied", undefined],
      ["t-l4", "applied", undefined],
    ]);
  });

  it("a stopped thread fails what it held, and the next request starts a new one", async () => {
    const db = database.db;
    const reg = (id: string) => ({ id, type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: id.toUpperCase(), data: {} });
    const inFlight = ingest(db, merchantId, [reg("t-s1")], [], true);
    const stopped = stopEngineThread();
    const first = await inFlight.then((r) => r[0].status, (e: unknown) => (e instanceof Error ? "failed" : "?"));
    await stopped;
    // On PostgreSQL the request may be applied before the thread stops or fail with it; never lost silently.
    expect(name === "postgres" ? ["applied", "failed"] : ["applied"]).toContain(first);
    const [again] = await ingest(db, merchantId, [reg("t-s2")], [], true);
    expect(again.status).toBe("applied");
    expect(engineThreadInUse()).toBe(name === "postgres");
  });
});

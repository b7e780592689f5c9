import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { claimJobs, enqueueJob, releaseLeases } from "@/lib/jobs/queue";
import { testDatabases } from "../db";

describe.each(testDatabases)("job leases at an embedded restart on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "leases", name: "L" })).id;
  });
  afterAll(() => database.close());

  it("a job left running by a dead process is claimable at once after releaseLeases, not 60 s later", async () => {
    const db = database.db;
    const t0 = new Date("2026-03-01T00:00:00Z");
    await enqueueJob(db, { merchantId, kind: "lease-test", key: "left-running" }, t0);
    expect(await claimJobs(db, { worker: "dead", kinds: ["lease-test"], now: t0, leaseMs: 60_000, limit: 5 })).toHaveLength(1);
    const restart = new Date(t0.getTime() + 1_000);
    // Its lease runs to t0 + 60 s: nobody takes it at t0 + 1 s …
    expect(await claimJobs(db, { worker: "next", kinds: ["lease-test"], now: restart, leaseMs: 60_000, limit: 5 })).toHaveLength(0);
    expect(await releaseLeases(db, restart)).toBe(1);
    // … until the start ends the lease. (A lease already over is left alone.)
    expect(await releaseLeases(db, restart)).toBe(0);
    const again = await claimJobs(db, { worker: "next", kinds: ["lease-test"], now: new Date(restart.getTime() + 1), leaseMs: 60_000, limit: 5 });
    expect(again.map((j) => [j.key, j.attempt])).toEqual([["left-running", 2]]);
  });
});

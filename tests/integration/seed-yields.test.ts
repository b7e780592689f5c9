import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { seedMerchantHistory } from "@/lib/seed/generate";
import { testDatabases } from "../db";

/**
 * The first start seeds in the background while the server answers: a timer (like an incoming
 * request's I/O) must get its turn during the seeding, not after it. On the embedded database every
 * query resolves with promises alone, so only the `pause` between batches lets the event loop run.
 */
describe.each(testDatabases)("seeding in the background on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "seed-yields", name: "SY", demoProgram: true })).id;
  });
  afterAll(() => database.close());

  it("lets a timer run between batches and reports its progress", async () => {
    let fired = false;
    const firedDuring: boolean[] = [];
    const progress: number[] = [];
    setTimeout(() => (fired = true), 0);
    const r = await seedMerchantHistory(database.db, merchantId, {
      members: 30,
      months: 1,
      seed: 7,
      endDate: "2026-03-31",
      pause: () => new Promise((resolve) => setImmediate(resolve)),
      onProgress: (done, days) => {
        progress.push(done / days);
        firedDuring.push(fired);
      },
    });
    // 2026-02-28 … 2026-03-31: 32 days, in chunks of up to a week that never cross a month's end.
    expect(r.days).toBe(32);
    expect(progress.at(-1)).toBe(1);
    // The timer ran before the last chunk reported, i.e. during the seeding.
    expect(firedDuring.slice(0, -1).some(Boolean)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { seedMerchantHistory } from "@/lib/seed/generate";
import { testDatabases } from "../db";

// The demo history's redemptions happen at the till beside an order, on the order's day, not on the day the seed ran.
const END = "2026-06-30";

describe.each(testDatabases)("seeded redemptions carry their own time on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "seedred", name: "S", demoProgram: true })).id;
    await seedMerchantHistory(database.db, merchantId, { members: 200, months: 4, seed: 3, endDate: END });
  }, 600_000);
  afterAll(() => database.close());

  it("dates each redemption a minute after an order of the member's, inside the history", async () => {
    const rows = await queryRows<{ month: string; n: number; after_end: number; without_order: number; reason: string }>(
      database.db,
      sql`select to_char(l.business_date, 'YYYY-MM') as month, count(*)::int as n,
              count(*) filter (where l.business_date > ${END}::date)::int as after_end,
              count(*) filter (where not exists (select 1 from orders o where o.merchant_id = l.merchant_id and o.member_id = l.member_id
                 and o.paid_at = l.occurred_at - interval '1 minute'))::int as without_order,
              min(l.reason) as reason
       from points_ledger l where l.merchant_id = ${merchantId} and l.rule = 'redemption' group by 1 order by 1`,
    );
    // Every redemption lies inside the history (none on the day the seed ran) and a minute after one of the member's orders.
    expect(rows.reduce((n, r) => n + r.n, 0)).toBeGreaterThan(0);
    expect(rows.every((r) => r.month >= "2026-03" && r.month <= "2026-06")).toBe(true);
    expect(rows.map((r) => [r.after_end, r.without_order, r.reason])).toEqual(rows.map(() => [0, 0, "积分抵现"]));
  });
});

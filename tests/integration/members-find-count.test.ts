import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { listMembers, memberFilterWhere } from "@/lib/members/list-members";
import { countMembers, EXACT_COUNT_CAP } from "@/lib/members/count-members";
import { parseMemberListQuery } from "@/lib/schemas/members";
import { testDatabases } from "../db";

const TZ = { timeZone: "Asia/Shanghai", fullPhone: true };
const q = (p: Record<string, string>) => parseMemberListQuery(p);

/**
 * 10,050 members X00001 … X10050, member g with phone 139 + g in 8 digits (X00042: 13900000042),
 * registered g minutes after 2026-01-01 00:00 UTC; tiers: g ≤ 30 silver, the rest basic.
 * Last four digits 0042: X00042 and X10042. 1234: X01234 only. 9999: X09999 only.
 */
describe.each(testDatabases)("members list: last four phone digits and the total on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "find-count", name: "FC", demoProgram: true })).id;
    await database.db.execute(sql`
      insert into members (merchant_id, member_id, phone, registered_at, tier_code, tier_since)
      select ${merchantId}, 'X' || lpad(g::text, 5, '0'), '139' || lpad(g::text, 8, '0'),
             timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute',
             case when g <= 30 then 'silver' else 'basic' end, timestamptz '2026-01-01 00:00:00+00'
        from generate_series(1, 10050) g`);
    await database.db.execute(sql`analyze members`);
  });
  afterAll(() => database.close());

  it("finds members by the last four digits of the phone", async () => {
    const ids = async (s: string) => (await listMembers(database.db, merchantId, q({ q: s }), TZ)).rows.map((r) => r.memberId).sort();
    expect(await ids("0042")).toEqual(["X00042", "X10042"]);
    expect(await ids("1234")).toEqual(["X01234"]);
    expect(await ids("9999")).toEqual(["X09999"]);
    // Longer digits stay a phone prefix: 13900010 starts X10000 … X10050 → 51 members, a page of 50 and more.
    const prefix = await listMembers(database.db, merchantId, q({ q: "13900010" }), TZ);
    expect([prefix.rows.length, prefix.nextCursor !== null]).toEqual([50, true]);
  });

  it("looks the last four digits up through their index, not by reading every member", async () => {
    const where = memberFilterWhere(merchantId, q({ q: "0042" }), TZ.timeZone);
    const plan = await queryRows<Record<string, unknown>>(database.db, sql`explain select member_id from members where ${where}`);
    const text = plan.map((r) => String(Object.values(r)[0])).join("\n");
    expect(text).toContain("members_search_phone_last4");
    expect(text).not.toMatch(/Seq Scan on members/);
  });

  it("counts exactly up to the cap and estimates past it", async () => {
    expect(await countMembers(database.db, merchantId, q({ tier: "silver" }), TZ)).toEqual({ count: 30, exact: true });
    expect(await countMembers(database.db, merchantId, q({ q: "0042" }), TZ)).toEqual({ count: 2, exact: true });
    // 10,050 members registered 2026-01-01 00:01 … 2026-01-07 23:30 UTC; from 2026-01-02 Shanghai
    // (2026-01-01 16:00 UTC, minute 960): g 960 … 10050 = 9,091, counted exactly under the cap.
    expect(await countMembers(database.db, merchantId, q({ regFrom: "2026-01-02" }), TZ)).toEqual({ count: 9091, exact: true });
    const all = await countMembers(database.db, merchantId, q({}), TZ);
    expect(EXACT_COUNT_CAP).toBe(10_000);
    expect(all.exact).toBe(false);
    // The planner's estimate after ANALYZE: the table holds these 10,050 rows alone.
    expect(all.count).toBeGreaterThanOrEqual(10_001);
    expect(all.count).toBeLessThanOrEqual(10_050 * 1.1);
  });

  it("estimates instead of counting when the count would cost more than the limit", async () => {
    // Silver: g 1 … 30. With no budget for a count, the planner's estimate stands, marked as one.
    const silver = await countMembers(database.db, merchantId, q({ tier: "silver" }), { ...TZ, costLimit: 0 });
    expect(silver.exact).toBe(false);
    expect(silver.count).toBeGreaterThanOrEqual(1);
    expect(silver.count).toBeLessThanOrEqual(300);
  });
});

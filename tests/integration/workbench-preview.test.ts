import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { members, orders } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { currentProgram, toExport } from "@/lib/program/store";
import { previewProgramChange } from "@/lib/workbench/preview";
import { testDatabases } from "../db";

/**
 * Hand-built fixture on the demo program (silver ≥ 1,000 growth, gold ≥ 5,000, diamond ≥ 20,000):
 *   A basic   500  birthday      B silver 1,500           C silver 4,000 birthday
 *   D gold  6,000  birthday      E gold   9,000           F diamond 25,000 birthday
 * Proposed: silver ≥ 2,000 and gold ≥ 8,000. B falls to basic, D to silver: 2 down, 0 up.
 *
 * Rights per member per month (demo matrix, fen):
 *   silver  monthly 1,500 (9折券) + 1,000 (试吃) = 2,500;             birthday 5,000 (¥50 券)
 *   gold    monthly 2×1,500 + 800 + 1,000 = 4,800;                  birthday 10,000 + 3,000 = 13,000
 *   diamond monthly 3×2,200 + 2×800 + 1,000 = 9,200;                birthday 20,000 + 3,000 = 23,000
 * Before: B 2,500 + C (2,500 + 5,000/12) + D (4,800 + 13,000/12) + E 4,800 + F (9,200 + 23,000/12)
 *       = 2,500 + 2,916.67 + 5,883.33 + 4,800 + 11,116.67 = 27,216.67 → 27,217
 * After:  C 2,916.67 + D as silver 2,916.67 + E 4,800 + F 11,116.67 = 21,750
 * Member spend, the 30 days to 2026-06-30 (06-01 … 06-30): B 100,000 − 20,000 refunded + D 50,000
 * = 130,000 (E's order on 05-31 is outside; the guest's order is not a member's).
 */
describe.each(testDatabases)("previewProgramChange on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "preview", name: "Preview", demoProgram: true })).id;
    const at = new Date("2026-01-01T00:00:00Z");
    const m = (memberId: string, tierCode: string, growth: number, birthday: string | null) => ({
      merchantId,
      memberId,
      tierCode,
      growth,
      birthday,
      lifetimeSpend: growth * 100,
      orderCount: 1,
      registeredAt: at,
      tierSince: at,
    });
    await database.db.insert(members).values([
      m("A", "basic", 500, "1990-01-02"),
      m("B", "silver", 1500, null),
      m("C", "silver", 4000, "1991-02-03"),
      m("D", "gold", 6000, "1992-03-04"),
      m("E", "gold", 9000, null),
      m("F", "diamond", 25000, "1993-04-05"),
    ]);
    const o = (orderId: string, memberId: string | null, businessDate: string, amount: number, refundedAmount = 0) => ({
      merchantId,
      orderId,
      memberId,
      eventId: `e-${orderId}`,
      paidAt: new Date(`${businessDate}T04:00:00Z`),
      businessDate,
      amount,
      refundedAmount,
    });
    await database.db.insert(orders).values([
      o("O1", "B", "2026-06-15", 100000, 20000),
      o("O2", "D", "2026-06-01", 50000),
      o("O3", "E", "2026-05-31", 99999),
      o("O4", null, "2026-06-20", 70000),
    ]);
  });
  afterAll(() => database.close());

  it("counts moves per tier and the monthly rights cost and cost rate before and after", async () => {
    const program = structuredClone(toExport(await currentProgram(database.db, merchantId)));
    program.tiers[1].thresholds = [{ measure: "growth", window: "lifetime", value: 2000 }];
    program.tiers[2].thresholds = [{ measure: "growth", window: "lifetime", value: 8000 }];
    const p = await previewProgramChange(database.db, merchantId, program, { today: "2026-06-30" });
    expect(p.members).toBe(6);
    expect(p.movedUp).toBe(0);
    expect(p.movedDown).toBe(2);
    expect(p.tiers.map((t) => [t.code, t.before, t.after, t.movingUp, t.movingDown])).toEqual([
      ["basic", 1, 2, 0, 0],
      ["silver", 2, 2, 0, 1],
      ["gold", 2, 1, 0, 1],
      ["diamond", 1, 1, 0, 0],
    ]);
    expect(p.monthlyCostBefore).toBe(27217);
    expect(p.monthlyCostAfter).toBe(21750);
    expect(p.memberSpend30d).toBe(130000);
    expect(p.costRateBefore).toBeCloseTo(27216.667 / 130000, 5);
    expect(p.costRateAfter).toBeCloseTo(21750 / 130000, 5);
  });

  it("counts upgrades when thresholds fall, and an unchanged program moves nobody", async () => {
    const program = structuredClone(toExport(await currentProgram(database.db, merchantId)));
    const same = await previewProgramChange(database.db, merchantId, program, { today: "2026-06-30" });
    expect([same.movedUp, same.movedDown, same.monthlyCostAfter]).toEqual([0, 0, 27217]);
    // Gold from 4,000: C (4,000) moves up from silver; nobody else changes.
    program.tiers[2].thresholds = [{ measure: "growth", window: "lifetime", value: 4000 }];
    const p = await previewProgramChange(database.db, merchantId, program, { today: "2026-06-30" });
    expect([p.movedUp, p.movedDown]).toEqual([1, 0]);
    expect(p.tiers.find((t) => t.code === "silver")?.movingUp).toBe(1);
    // C now costs gold's 4,800 + 13,000/12 = 5,883.33 instead of 2,916.67: 27,216.67 + 2,966.67 = 30,183.33.
    expect(p.monthlyCostAfter).toBe(30183);
  });

  it("uses rolling 12-month spend from the orders when a threshold asks for it", async () => {
    const program = structuredClone(toExport(await currentProgram(database.db, merchantId)));
    // Diamond by net spend over the 12 months to 2026-06-30 (2025-07-01 on) ≥ ¥900:
    // E spent ¥999.99 (05-31) → up from gold; B ¥800 and D ¥500 fall short; F has no orders and
    // falls to gold on growth 25,000.
    program.tiers[3].thresholds = [{ measure: "spend", window: "rolling12m", value: 90000 }];
    const p = await previewProgramChange(database.db, merchantId, program, { today: "2026-06-30" });
    expect([p.movedUp, p.movedDown]).toEqual([1, 1]);
    expect(p.tiers.map((t) => [t.code, t.after])).toEqual([
      ["basic", 1],
      ["silver", 2],
      ["gold", 2],
      ["diamond", 1],
    ]);
    // E now costs diamond's 9,200 (not 4,800): +4,400; F gold with a birthday 5,883.33 (not 11,116.67):
    // −5,233.33. 27,216.67 + 4,400 − 5,233.33 = 26,383.33.
    expect(p.monthlyCostAfter).toBe(26383);
  });
});

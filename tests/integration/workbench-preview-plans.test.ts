import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { members, memberships } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { currentProgram, toExport } from "@/lib/program/store";
import { previewProgramChange } from "@/lib/workbench/preview";
import { testDatabases } from "../db";

/**
 * The what-if counts the paid-membership plans' monthly rights of the cards running at the end of
 * the day (demo program: 年卡 SVIP gives 2 × 9折券 a month, unit cost ¥15 → ¥30 = 3,000 fen per card).
 * Members: A silver (growth 2,000) with a card 2026-03-01 → 2027-03-01; B basic with a card
 * 2026-06-01 → 2027-06-01; C basic whose card was refunded; D basic whose card ended 2026-05-01.
 * On 2026-06-30 (Asia/Shanghai) two cards run: plans 2 × 3,000 = 6,000. Tiers: silver's monthly
 * rights 2,500 (A; no birthdays), basic none. Monthly cost 2,500 + 6,000 = 8,500.
 */
describe.each(testDatabases)("previewProgramChange counts paid-membership plan rights on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "preview-plans", name: "Plans", demoProgram: true })).id;
    const at = new Date("2026-01-01T00:00:00Z");
    const m = (memberId: string, tierCode: string, growth: number) => ({ merchantId, memberId, tierCode, growth, lifetimeSpend: growth * 100, orderCount: 1, registeredAt: at, tierSince: at });
    await database.db.insert(members).values([m("A", "silver", 2000), m("B", "basic", 0), m("C", "basic", 0), m("D", "basic", 0)]);
    const card = (purchaseId: string, memberId: string, startsAt: string, endsAt: string, refundedAt: Date | null = null) => ({
      merchantId,
      purchaseId,
      memberId,
      planCode: "svip",
      months: 12,
      purchasedAt: new Date(startsAt),
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      amount: 19900,
      source: `ev:${purchaseId}`,
      businessDate: startsAt.slice(0, 10),
      refundedAt,
    });
    await database.db.insert(memberships).values([
      card("PA", "A", "2026-03-01T02:00:00Z", "2027-03-01T02:00:00Z"),
      card("PB", "B", "2026-06-01T02:00:00Z", "2027-06-01T02:00:00Z"),
      card("PC", "C", "2026-04-01T02:00:00Z", "2027-04-01T02:00:00Z", new Date("2026-04-02T02:00:00Z")),
      card("PD", "D", "2025-05-01T02:00:00Z", "2026-05-01T02:00:00Z"),
    ]);
  });
  afterAll(() => database.close());

  const program = async () => structuredClone(toExport(await currentProgram(database.db, merchantId)));

  it("adds the running cards' monthly plan rights to the cost, the same before and after when nothing changes", async () => {
    const p = await previewProgramChange(database.db, merchantId, await program(), { today: "2026-06-30" });
    expect([p.planCostBefore, p.planCostAfter, p.monthlyCostBefore, p.monthlyCostAfter]).toEqual([6000, 6000, 8500, 8500]);
  });

  it("prices a plan's changed monthly rights: 3 × 9折券 a month → 4,500 per card", async () => {
    const proposed = await program();
    proposed.plans[0].rights = proposed.plans[0].rights.map((r) => (r.cadence === "monthly" ? { ...r, quantity: 3 } : r));
    const p = await previewProgramChange(database.db, merchantId, proposed, { today: "2026-06-30" });
    expect([p.planCostBefore, p.planCostAfter, p.monthlyCostBefore, p.monthlyCostAfter]).toEqual([6000, 9000, 8500, 11500]);
  });

  it("counts no card before its start: on 2026-05-31 only A's runs (D's ended 2026-05-01)", async () => {
    const p = await previewProgramChange(database.db, merchantId, await program(), { today: "2026-05-31" });
    expect([p.planCostBefore, p.planCostAfter]).toEqual([3000, 3000]);
  });
});

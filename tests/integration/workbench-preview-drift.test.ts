import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { members } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { currentProgram, toExport } from "@/lib/program/store";
import { previewProgramChange } from "@/lib/workbench/preview";
import { testDatabases } from "../db";

/**
 * Members whose tier now is not the one their growth alone reaches (retention keeps a member below
 * it until the period job moves them; a trial or a manual tier lifts one above it), on the demo
 * program (silver ≥ 1,000 growth, gold ≥ 5,000, diamond ≥ 20,000):
 *   P basic    500              Q silver  6,000 birthday (reaches gold)
 *   R silver 25,000 (reaches diamond)    S gold 3,000 (reaches only silver)
 *   T diamond 40,000 birthday
 * Monthly rights cost now (demo matrix, fen; basic has none):
 *   Q silver 2,500 + 5,000/12 = 2,916.67; R silver 2,500; S gold 4,800;
 *   T diamond 9,200 + 23,000/12 = 11,116.67 → 21,333.33 → 21,333.
 */
describe.each(testDatabases)("previewProgramChange with members out of step with the thresholds on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "preview-drift", name: "Drift", demoProgram: true })).id;
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
      m("P", "basic", 500, null),
      m("Q", "silver", 6000, "1990-05-06"),
      m("R", "silver", 25000, null),
      m("S", "gold", 3000, null),
      m("T", "diamond", 40000, "1988-07-08"),
    ]);
  });
  afterAll(() => database.close());

  it("previews the unchanged program as no change: nobody moves and the cost stays", async () => {
    const program = structuredClone(toExport(await currentProgram(database.db, merchantId)));
    const p = await previewProgramChange(database.db, merchantId, program, { today: "2026-06-30" });
    expect([p.members, p.movedUp, p.movedDown]).toEqual([5, 0, 0]);
    expect(p.tiers.map((t) => [t.code, t.before, t.after, t.movingUp, t.movingDown])).toEqual([
      ["basic", 1, 1, 0, 0],
      ["silver", 2, 2, 0, 0],
      ["gold", 1, 1, 0, 0],
      ["diamond", 1, 1, 0, 0],
    ]);
    expect([p.monthlyCostBefore, p.monthlyCostAfter]).toEqual([21333, 21333]);
  });

  it("credits a new top tier only with the members who reach it, and names them", async () => {
    const program = structuredClone(toExport(await currentProgram(database.db, merchantId)));
    const diamond = program.tiers[3];
    program.tiers.push({ ...diamond, code: "black", name: { zh: "黑卡会员", en: "Black" }, thresholds: [{ measure: "growth", window: "lifetime", value: 30000 }] });
    const p = await previewProgramChange(database.db, merchantId, program, { today: "2026-06-30" });
    // Only T (40,000) reaches black; R (25,000, silver now) reaches diamond under both programs and stays.
    expect([p.movedUp, p.movedDown]).toEqual([1, 0]);
    expect(p.tiers.map((t) => [t.code, t.after, t.movingUp, t.upSample])).toEqual([
      ["basic", 1, 0, []],
      ["silver", 2, 0, []],
      ["gold", 1, 0, []],
      ["diamond", 0, 1, ["T"]],
      ["black", 1, 0, []],
    ]);
    // Black has no rights in the matrix: T's 11,116.67 goes. 21,333.33 − 11,116.67 = 10,216.67.
    expect(p.monthlyCostAfter).toBe(10217);
  });

  it("moves a member whose recomputed tier changes, from the tier they are in now", async () => {
    const program = structuredClone(toExport(await currentProgram(database.db, merchantId)));
    // Diamond from 30,000: R's recomputed tier falls from diamond to gold, so R (silver now) moves to gold.
    program.tiers[3].thresholds = [{ measure: "growth", window: "lifetime", value: 30000 }];
    const p = await previewProgramChange(database.db, merchantId, program, { today: "2026-06-30" });
    expect([p.movedUp, p.movedDown]).toEqual([1, 0]);
    expect(p.tiers.find((t) => t.code === "silver")).toMatchObject({ before: 2, after: 1, movingUp: 1, upSample: ["R"] });
    // R costs gold's 4,800 instead of silver's 2,500: 21,333.33 + 2,300 = 23,633.33.
    expect(p.monthlyCostAfter).toBe(23633);
  });
});

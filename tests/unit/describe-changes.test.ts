import { describe, expect, it } from "vitest";
import { describeProgramChanges } from "@/lib/program/describe-changes";
import { programInput } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";

const parsed = () => programInput.parse(structuredClone(demoProgram));

describe("a program save in words", () => {
  it("names a matrix cell by its tier and right, with the quantity before and after", () => {
    const before = parsed();
    const after = structuredClone(before);
    after.matrix.find((c) => c.tierCode === "gold" && c.rightCode === "coupon_90")!.quantity = 3;
    expect(describeProgramChanges(before, after, "zh-CN")).toEqual([{ section: "权益矩阵", lines: ["金卡会员 · 9折券 · 数量 2 → 3"] }]);
    expect(describeProgramChanges(before, after, "en")).toEqual([{ section: "Rights matrix", lines: ["Gold · 10%-off coupon · quantity 2 → 3"] }]);
  });

  it("groups a save's changes by section: a threshold, money in yuan, an added tier, a points rule", () => {
    const before = parsed();
    const after = structuredClone(before);
    after.tiers[2].thresholds[0].value = 6000;
    after.rights.find((r) => r.code === "coupon_90")!.unitCost = 1800;
    after.points.perYuan = 2;
    after.tiers.push({ ...structuredClone(after.tiers[3]), code: "black", name: { zh: "黑卡会员", en: "Black" }, thresholds: [{ measure: "growth", window: "lifetime", value: 50000 }] });
    expect(describeProgramChanges(before, after, "zh-CN")).toEqual([
      { section: "等级", lines: ["金卡会员 · 门槛 成长值 · 累计 ≥ 5,000 → 成长值 · 累计 ≥ 6,000", "新增等级「黑卡会员」"] },
      { section: "权益", lines: ["9折券 · 单位成本 ¥15.00 → ¥18.00"] },
      { section: "积分", lines: ["每元获得 1 → 2"] },
    ]);
  });

  it("says nothing for the same program with its keys in another order", () => {
    const before = parsed();
    const after = JSON.parse(JSON.stringify(before, Object.keys(before).reverse()));
    expect(describeProgramChanges(before, { ...after, ...before }, "zh-CN")).toEqual([]);
  });

  it("names a removed right and a reordered list", () => {
    const before = parsed();
    const after = structuredClone(before);
    after.rights = after.rights.filter((r) => r.code !== "tasting");
    after.matrix = after.matrix.filter((c) => c.rightCode !== "tasting");
    const groups = describeProgramChanges(before, after, "zh-CN");
    expect(groups.find((g) => g.section === "权益")?.lines).toEqual(["删除权益「新品试吃」"]);
    expect(groups.find((g) => g.section === "权益矩阵")?.lines).toEqual(["银卡会员 · 新品试吃 删除", "金卡会员 · 新品试吃 删除", "钻石会员 · 新品试吃 删除"]);
    const a = { code: "a", name: { zh: "甲", en: "A" } };
    const b = { code: "b", name: { zh: "乙", en: "B" } };
    expect(describeProgramChanges({ rights: [a, b] }, { rights: [b, a] }, "zh-CN")).toEqual([{ section: "权益", lines: ["权益 · 顺序 甲、乙 → 乙、甲"] }]);
  });
});

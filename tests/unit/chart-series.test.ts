import { describe, expect, it } from "vitest";
import { tierSeries } from "@/components/charts/tier-series";
import { kpiChange } from "@/components/charts/kpi-change";

describe("tier series of a stacked chart", () => {
  it("keeps rank order and gives each tier its own colour", () => {
    const tiers = [
      { code: "basic", name: "普通会员", color: "#94A3B8" },
      { code: "silver", name: "银卡会员", color: "#A8B4C4" },
      { code: "gold", name: "金卡会员", color: "#D4A017" },
      { code: "diamond", name: "钻石会员", color: "#D4A017" }, // the same as gold
    ];
    const s = tierSeries(tiers, ["gold", "old", "basic"]);
    expect(s.map((x) => x.code)).toEqual(["basic", "silver", "gold", "diamond", "old"]);
    expect(s.map((x) => x.color)).toEqual(["#94a3b8", "#a8b4c4", "#d4a017", "#0ea5e9", "#f59e0b"]);
    expect(new Set(s.map((x) => x.color)).size).toBe(5);
  });
});

describe("a KPI's change against the previous period", () => {
  it("marks a huge relative change over a tiny base", () => {
    expect(kpiChange("count", 36, 1)).toEqual({ delta: 35, smallBase: true }); // +3,500%
    expect(kpiChange("money", 2_000, 100)).toEqual({ delta: 19, smallBase: true }); // exactly 20×
    expect(kpiChange("money", 1_999, 100)).toEqual({ delta: 18.99, smallBase: false });
    expect(kpiChange("count", 90, 100)).toEqual({ delta: -0.1, smallBase: false });
  });
  it("gives rates in points and nothing to compare with a zero or missing base", () => {
    expect(kpiChange("rate", 0.25, 0.2)?.delta).toBeCloseTo(0.05);
    expect(kpiChange("count", 5, 0)).toEqual({ delta: null, smallBase: false });
    expect(kpiChange("money", undefined, 5)).toEqual({ delta: null, smallBase: false });
  });
});

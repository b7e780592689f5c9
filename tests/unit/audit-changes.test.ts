import { describe, expect, it } from "vitest";
import { changedPaths } from "@/components/workbench/audit-changes";

describe("audit before → after", () => {
  it("lists the changed leaves and ignores key order", () => {
    const before = { points: { perYuan: 1, checkIn: 10 }, tiers: [{ code: "basic", thresholds: [] }, { code: "silver", thresholds: [{ value: 1000, measure: "growth" }] }] };
    const after = { tiers: [{ code: "basic", thresholds: [] }, { code: "silver", thresholds: [{ measure: "growth", value: 2000 }] }], points: { checkIn: 10, perYuan: 3 } };
    expect(changedPaths(before, after)).toEqual([
      { path: "points.perYuan", before: 1, after: 3 },
      { path: "tiers.1.thresholds", before: [{ value: 1000, measure: "growth" }], after: [{ measure: "growth", value: 2000 }] },
    ]);
    expect(changedPaths({ a: { b: 1, c: 2 } }, { a: { c: 2, b: 1 } })).toEqual([]);
  });

  it("shows a tier's retention rule change on that tier alone", () => {
    const tier = (code: string, retention: object) => ({ code, thresholds: [], retention });
    const before = { tiers: [tier("basic", { kind: "none" }), tier("silver", { kind: "inactivity", months: 3 }), tier("gold", { kind: "inactivity", months: 3 })] };
    const after = { tiers: [tier("basic", { kind: "none" }), tier("silver", { kind: "inactivity", months: 3 }), tier("gold", { months: 6, kind: "requalify" })] };
    expect(changedPaths(before, after)).toEqual([{ path: "tiers.2.retention", before: { kind: "inactivity", months: 3 }, after: { months: 6, kind: "requalify" } }]);
  });
});

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
});

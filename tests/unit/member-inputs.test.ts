import { describe, expect, it } from "vitest";
import { adjustMemberInput, grantRightInput, setTierInput } from "@/lib/schemas/members";

describe("operator actions on a member refuse text the database cannot store", () => {
  const cases = [
    [adjustMemberInput, { memberId: "M1", measure: "points", delta: 5, reason: "goodwill" }, ["memberId", "reason"]],
    [grantRightInput, { memberId: "M1", rightCode: "coupon_10", reason: "goodwill" }, ["memberId", "rightCode", "reason"]],
    [setTierInput, { memberId: "M1", tierCode: "gold", reason: "goodwill" }, ["memberId", "tierCode", "reason"]],
  ] as const;
  it.each(cases)("%#: a NUL in each text field is a field-level issue", (schema, valid, fields) => {
    expect(schema.safeParse(valid).success).toBe(true);
    for (const f of fields) {
      const r = schema.safeParse({ ...valid, [f]: "ab\u0000cd" });
      expect(r.success ? [] : r.error.issues.map((i) => i.path.join("."))).toEqual([f]);
    }
  });
});

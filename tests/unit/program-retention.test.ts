import { describe, expect, it } from "vitest";
import { programInput, type Program } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";
import { decodeRetention, encodeRetention } from "@/lib/program/store";

// The demo program without its per-tier rules, plus one rule at the top: the format before rules were per tier.
const { tiers: demoTiers, ...rest } = demoProgram;
const tiersWithoutRules = demoTiers.map(({ retention: _drop, ...t }) => t);
const legacy = { ...rest, tiers: tiersWithoutRules, retention: { kind: "inactivity", months: 3 } };

const issues = (input: unknown) => {
  const r = programInput.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

describe("per-tier retention rules in the program schema", () => {
  it("accepts the old top-level rule and puts it on every tier above the entry tier", () => {
    const p = programInput.parse(legacy);
    expect(p.tiers.map((t) => [t.code, t.retention])).toEqual([
      ["basic", { kind: "none" }],
      ["silver", { kind: "inactivity", months: 3 }],
      ["gold", { kind: "inactivity", months: 3 }],
      ["diamond", { kind: "inactivity", months: 3 }],
    ]);
    expect("retention" in p).toBe(false);
    // The old format and the new one read as the same program.
    expect(p).toEqual(programInput.parse(demoProgram));
  });

  it("a tier's own rule wins over the old top-level one; a tier without either keeps its members", () => {
    const tiers = tiersWithoutRules.map((t) => (t.code === "gold" ? { ...t, retention: { kind: "requalify", months: 12 } } : t));
    const p = programInput.parse({ ...rest, tiers, retention: { kind: "inactivity", months: 6 } });
    expect(p.tiers.map((t) => t.retention)).toEqual([
      { kind: "none" },
      { kind: "inactivity", months: 6 },
      { kind: "requalify", months: 12 },
      { kind: "inactivity", months: 6 },
    ]);
    const none = programInput.parse({ ...rest, tiers: tiersWithoutRules });
    expect(none.tiers.map((t) => t.retention.kind)).toEqual(["none", "none", "none", "none"]);
  });

  it("the entry tier's rule is irrelevant and reads back as none", () => {
    const tiers = demoTiers.map((t, i) => (i === 0 ? { ...t, retention: { kind: "inactivity" as const, months: 2 } } : t));
    expect(programInput.parse({ ...rest, tiers }).tiers[0].retention).toEqual({ kind: "none" });
  });

  it("names the field of a bad rule, per tier and in the old format", () => {
    const bad = structuredClone(demoProgram);
    bad.tiers[2].retention = { kind: "inactivity", months: 0 };
    bad.tiers[3].retention = { kind: "requalify", months: 37 };
    expect(issues(bad)).toEqual(["tiers.2.retention.months", "tiers.3.retention.months"]);

    const noMonths = structuredClone(demoProgram) as { tiers: { retention?: unknown }[] };
    noMonths.tiers[1].retention = { kind: "requalify" };
    expect(issues(noMonths)).toEqual(["tiers.1.retention.months"]);

    const unknownKind = structuredClone(demoProgram) as { tiers: { retention?: unknown }[] };
    unknownKind.tiers[1].retention = { kind: "sometimes", months: 3 };
    expect(issues(unknownKind)).toEqual(["tiers.1.retention.kind"]);

    expect(issues({ ...legacy, retention: { kind: "inactivity", months: 0 } })).toEqual(["retention.months"]);
  });

  it("export is the new shape and parses back to itself", () => {
    const p: Program = programInput.parse(legacy);
    expect(programInput.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  it("stores the rules by tier code, and reads versions stored with one rule for all tiers", () => {
    const p = programInput.parse(demoProgram);
    const gold = { kind: "requalify", months: 6 } as const;
    p.tiers[2].retention = gold;
    const stored = encodeRetention(p);
    expect(stored).toEqual({
      kind: "perTier",
      tiers: { basic: { kind: "none" }, silver: { kind: "inactivity", months: 3 }, gold, diamond: { kind: "inactivity", months: 3 } },
    });
    const codes = ["basic", "silver", "gold", "diamond"];
    expect(decodeRetention(JSON.parse(JSON.stringify(stored)), codes)).toEqual(p.tiers.map((t) => t.retention));
    // A version written before: one rule, for every tier above the entry tier.
    expect(decodeRetention({ kind: "requalify", months: 12 }, codes)).toEqual([
      { kind: "none" },
      { kind: "requalify", months: 12 },
      { kind: "requalify", months: 12 },
      { kind: "requalify", months: 12 },
    ]);
    expect(decodeRetention({ kind: "none" }, codes)).toEqual(codes.map(() => ({ kind: "none" })));
  });
});

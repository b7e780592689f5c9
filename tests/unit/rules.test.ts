import { describe, expect, it } from "vitest";
import { programInput } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";
import {
  birthdaysOn,
  campaignApplies,
  campaignMultiplierPct,
  campaignsInForce,
  explainOrderPoints,
  lifecycleOf,
  lotExpiry,
  orderGrowth,
  orderPoints,
  proRataClawback,
  qualifyingRank,
} from "@/lib/engine/rules";
import { settleDebt, takeFromLots, type Lot } from "@/lib/engine/lots";
import { expiryRuleText, lastValidDay } from "@/lib/program/expiry-rule";
import { businessDate } from "@/lib/util/dates";

const demo = programInput.parse(demoProgram);
const lifetime = (growth: number) => ({
  growth: { lifetime: growth, rolling12m: 0, calendarYear: 0 },
  spend: { lifetime: 0, rolling12m: 0, calendarYear: 0 },
  orders: { lifetime: 0, rolling12m: 0, calendarYear: 0 },
});

describe("order points (demo-program.md)", () => {
  it("a gold member's ¥258 order on the 18th: floor(258 × 1.2 × 2) = 619; a silver member's 516", () => {
    expect(orderPoints(25800, 1, 120, 200)).toBe(619);
    expect(orderPoints(25800, 1, 100, 200)).toBe(516);
    expect(explainOrderPoints(demo, "gold", 25800, "2026-03-18").points).toBe(619);
    expect(explainOrderPoints(demo, "silver", 25800, "2026-03-18").points).toBe(516);
  });
  it("the same order on the 17th earns single points: floor(258 × 1.2) = 309", () => {
    expect(explainOrderPoints(demo, "gold", 25800, "2026-03-17").points).toBe(309);
  });
  it("floors fractional points: ¥0.99 earns 0, ¥12.34 at ×1.5 earns floor(18.51) = 18", () => {
    expect(orderPoints(99, 1, 100, 100)).toBe(0);
    expect(orderPoints(1234, 1, 150, 100)).toBe(18);
  });
  it("growth is 1 per yuan, floored", () => {
    expect(orderGrowth(25850, 1)).toBe(258);
  });
});

describe("campaigns", () => {
  it("overlapping multipliers take the maximum, not the product: double points on the 18th in a birthday month is ×2", () => {
    const inForce = campaignsInForce(demo, "2026-07-18", "gold", "1990-07-02");
    expect(inForce.map((c) => c.code).sort()).toEqual(["birthday_month", "double_points"]);
    expect(campaignMultiplierPct(inForce)).toBe(200);
    expect(explainOrderPoints(demo, "gold", 25800, "2026-07-18", "1990-07-02").points).toBe(619);
  });
  it("the member day is every 8th, the double points day every 18th", () => {
    const memberDay = demo.campaigns.find((c) => c.code === "member_day")!;
    expect(["2026-01-08", "2026-02-08", "2026-12-08"].every((d) => campaignApplies(memberDay, d, "basic", null))).toBe(true);
    expect(campaignApplies(memberDay, "2026-01-09", "basic", null)).toBe(false);
  });
  it("target tiers and ranges", () => {
    const c = { code: "x", name: { zh: "x", en: "x" }, schedule: { kind: "range" as const, from: "2026-11-01", to: "2026-11-11" }, targetTiers: ["gold"], effect: { kind: "pointsMultiplier" as const, pct: 300 }, enabled: true };
    expect(campaignApplies(c, "2026-11-11", "gold", null)).toBe(true);
    expect(campaignApplies(c, "2026-11-12", "gold", null)).toBe(false);
    expect(campaignApplies(c, "2026-11-05", "silver", null)).toBe(false);
  });
});

describe("tiers", () => {
  it("growth 999 is basic, 1,000 silver, 5,000 gold, 20,000 diamond", () => {
    expect([999, 1000, 4999, 5000, 19999, 20000].map((g) => demo.tiers[qualifyingRank(demo, lifetime(g))].code)).toEqual([
      "basic",
      "silver",
      "silver",
      "gold",
      "gold",
      "diamond",
    ]);
  });
});

describe("refund clawback", () => {
  it("pro rata on the cumulative refund: half of 619 is 309, the rest 310, never more than earned", () => {
    expect(proRataClawback(619, 25800, 12900, 0)).toBe(309);
    expect(proRataClawback(619, 25800, 25800, 309)).toBe(310);
    expect(proRataClawback(619, 25800, 25800, 619)).toBe(0);
  });
});

describe("points lots and debt", () => {
  const lot = (key: string, expires: string, remaining: number, held = 0): Lot => ({
    id: null,
    key,
    source: key,
    memberId: "m",
    earnedAt: new Date("2025-01-01T00:00:00Z"),
    expiresAt: new Date(expires),
    amount: remaining,
    remaining,
    held,
    dirty: false,
  });
  it("spends oldest-expiring first", () => {
    const lots = [lot("b", "2026-06-01T00:00:00Z", 50), lot("a", "2026-03-01T00:00:00Z", 30), lot("c", "2026-09-01T00:00:00Z", 100)];
    expect(takeFromLots(lots, 60).map((t) => [t.lot.key, t.take])).toEqual([
      ["a", 30],
      ["b", 30],
    ]);
  });
  it("a refund claws from its own order's lot first", () => {
    const lots = [lot("a", "2026-03-01T00:00:00Z", 30), lot("order", "2026-09-01T00:00:00Z", 100)];
    expect(takeFromLots(lots, 40, "order").map((t) => [t.lot.key, t.take])).toEqual([["order", 40]]);
  });
  it("never takes the points an open checkout hold set aside", () => {
    // a: 30 left, 20 held → 10 free; b: 50 free. 40 asked → 10 from a, 30 from b; 70 asked → only 60 free.
    const lots = [lot("b", "2026-06-01T00:00:00Z", 50), lot("a", "2026-03-01T00:00:00Z", 30, 20)];
    expect(takeFromLots(lots, 40).map((t) => [t.lot.key, t.take])).toEqual([
      ["a", 10],
      ["b", 30],
    ]);
    expect(takeFromLots(lots, 70).reduce((s, t) => s + t.take, 0)).toBe(60);
    // A lot wholly held gives nothing, even to its own order's refund.
    expect(takeFromLots([lot("order", "2026-09-01T00:00:00Z", 100, 100)], 40, "order")).toEqual([]);
  });
  it("takes at most what the lots hold", () => {
    expect(takeFromLots([lot("a", "2026-03-01T00:00:00Z", 30)], 50).reduce((s, t) => s + t.take, 0)).toBe(30);
  });
  it("earnings pay a debt first", () => {
    expect(settleDebt(300, 120)).toEqual({ credited: 180, paid: 120 });
    expect(settleDebt(100, 120)).toEqual({ credited: 0, paid: 100 });
  });
  it("a lot earned on 2025-03-10 (Beijing) expires when 2026-03-10 ends there", () => {
    expect(lotExpiry(demo, "2025-03-10").toISOString()).toBe("2026-03-10T16:00:00.000Z");
  });
});

describe("business dates and lifecycle", () => {
  it("23:30 Beijing time on 31 March is still 31 March", () => {
    expect(businessDate(new Date("2026-03-31T15:30:00Z"), "Asia/Shanghai")).toBe("2026-03-31");
    expect(businessDate(new Date("2026-03-31T16:30:00Z"), "Asia/Shanghai")).toBe("2026-04-01");
  });
  it("new for 30 days, dormant after 60 days without an order, lost after 90", () => {
    const l = (reg: string, last: string | null) => lifecycleOf(demo, "2026-06-30", reg, last);
    expect(l("2026-06-01", null)).toBe("new"); // 29 days before
    expect(l("2026-05-31", null)).toBe("lost"); // 30 days: no longer new, never ordered
    expect(l("2026-01-01", "2026-05-02")).toBe("active"); // 59 days
    expect(l("2026-01-01", "2026-05-01")).toBe("dormant"); // 60 days
    expect(l("2026-01-01", "2026-04-01")).toBe("lost"); // 90 days
  });
});

describe("birthdaysOn", () => {
  it.each([
    ["2027-02-28", ["02-28", "02-29"]],
    ["2100-02-28", ["02-28", "02-29"]],
    ["2028-02-28", ["02-28"]],
    ["2028-02-29", ["02-29"]],
    ["2000-02-28", ["02-28"]],
    ["2027-03-01", ["03-01"]],
  ])("%s → %j", (date, days) => expect(birthdaysOn(date)).toEqual(days));
});

describe("the points expiry rule as readers see it", () => {
  // Earned 2026-06-13 in Shanghai with 12 months: the engine's lot expires at 2027-06-14 00:00 +08:00 (2027-06-13T16:00Z);
  // the last day it can be used is 2027-06-13, and that is the date shown.
  it("shows the last valid day of a lot, the day before the instant it expires", () => {
    const p = { points: { ...demo.points, expiry: { kind: "rollingMonths" as const, months: 12 } }, timeZone: "Asia/Shanghai" };
    const expires = lotExpiry(p, "2026-06-13");
    expect(expires.toISOString()).toBe("2027-06-13T16:00:00.000Z");
    expect(lastValidDay(expires, "Asia/Shanghai")).toBe("2027-06-13");
    expect(lastValidDay(lotExpiry({ ...p, points: { ...p.points, expiry: { kind: "endOfNextYear" } } }, "2026-06-13"), "Asia/Shanghai")).toBe("2027-12-31");
    expect(lastValidDay(lotExpiry({ ...p, points: { ...p.points, expiry: { kind: "never" } } }, "2026-06-13"), "Asia/Shanghai")).toBeNull();
  });

  it("states the rule with the same example", () => {
    expect(expiryRuleText({ kind: "rollingMonths", months: 12 }, "zh")).toBe("积分在获得 12 个月后的同一天结束时过期：2026-06-13 获得的积分可用至 2027-06-13（含当天）。");
    expect(expiryRuleText({ kind: "rollingMonths", months: 6 }, "en")).toBe(
      "Points expire at the end of the same day 6 months after they are earned: points earned 2026-06-13 are usable through 2026-12-13.",
    );
    expect(expiryRuleText({ kind: "never" }, "zh")).toBe("积分永不过期。");
  });
});

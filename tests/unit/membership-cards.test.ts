import { describe, expect, it } from "vitest";
import { cardEnd, cardsOf, nextSegment, purchaseAt, refundPurchase, type Purchase } from "@/lib/membership/cards";
import { orderPoints } from "@/lib/engine/rules";
import { programInput } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";

const SH = "Asia/Shanghai";
const at = (s: string) => new Date(s);
const purchase = (purchaseId: string, months: number, startsAt: Date, endsAt: Date, purchasedAt = startsAt): Purchase => ({
  purchaseId,
  memberId: "M",
  planCode: "svip",
  months,
  purchasedAt,
  startsAt,
  endsAt,
  refundedAt: null,
});

describe("paid-membership card times (Asia/Shanghai)", () => {
  it("Jan 31 + 1 month ends on the month's last day, same time of day: Feb 28 in 2026, Feb 29 in 2028", () => {
    // 2026-01-31 20:30 Shanghai = 12:30Z; February 2026 has 28 days.
    expect(cardEnd(at("2026-01-31T12:30:00Z"), 1, SH).toISOString()).toBe("2026-02-28T12:30:00.000Z");
    expect(cardEnd(at("2028-01-31T12:30:00Z"), 1, SH).toISOString()).toBe("2028-02-29T12:30:00.000Z");
    // The day is the merchant's: 2026-01-31 01:00 Shanghai is still Jan 30 in UTC (17:00Z), and ends Feb 28 01:00 Shanghai.
    expect(cardEnd(at("2026-01-30T17:00:00Z"), 1, SH).toISOString()).toBe("2026-02-27T17:00:00.000Z");
    // A day that exists: Mar 15 + 12 months → next Mar 15.
    expect(cardEnd(at("2026-03-15T02:00:00Z"), 12, SH).toISOString()).toBe("2027-03-15T02:00:00.000Z");
  });

  it("stacking two annual cards: the second starts where the first ends and the card runs 24 months", () => {
    const first = at("2026-03-15T02:00:00Z");
    const s1 = nextSegment([], first, 12, SH);
    expect(s1).toEqual({ startsAt: first, endsAt: at("2027-03-15T02:00:00Z"), extends: false });
    const p1 = purchase("a", 12, s1.startsAt, s1.endsAt);
    // Bought on 2026-06-01 while the first runs: 2027-03-15 → 2028-03-15.
    const s2 = nextSegment([p1], at("2026-06-01T04:00:00Z"), 12, SH);
    expect(s2).toEqual({ startsAt: at("2027-03-15T02:00:00Z"), endsAt: at("2028-03-15T02:00:00Z"), extends: true });
    const p2 = purchase("b", 12, s2.startsAt, s2.endsAt, at("2026-06-01T04:00:00Z"));
    expect(cardsOf([p1, p2])).toEqual([{ plan: "svip", startsAt: first, endsAt: at("2028-03-15T02:00:00Z"), purchaseIds: ["a", "b"] }]);
    expect(purchaseAt([p1, p2], at("2027-06-01T00:00:00Z"))?.purchaseId).toBe("b");
    expect(purchaseAt([p1, p2], at("2028-03-15T02:00:00Z"))).toBeUndefined(); // endsAt is exclusive
    // A purchase after the card ended starts a new card.
    expect(nextSegment([p1, p2], at("2028-04-01T04:00:00Z"), 12, SH).extends).toBe(false);
  });

  it("refunding the first of two stacked cards removes its 12 months: the second moves back to the first's start", () => {
    const p1 = purchase("a", 12, at("2026-03-15T02:00:00Z"), at("2027-03-15T02:00:00Z"));
    const p2 = purchase("b", 12, at("2027-03-15T02:00:00Z"), at("2028-03-15T02:00:00Z"), at("2026-06-01T04:00:00Z"));
    const moved = refundPurchase([p1, p2], "a", at("2026-07-01T00:00:00Z"), SH);
    expect(moved.map((p) => p.purchaseId)).toEqual(["b"]);
    expect(p1.refundedAt).toEqual(at("2026-07-01T00:00:00Z"));
    expect([p2.startsAt, p2.endsAt]).toEqual([at("2026-03-15T02:00:00Z"), at("2027-03-15T02:00:00Z")]);
    expect(cardsOf([p1, p2])).toEqual([{ plan: "svip", startsAt: at("2026-03-15T02:00:00Z"), endsAt: at("2027-03-15T02:00:00Z"), purchaseIds: ["b"] }]);
    // Refunding the only purchase leaves no card.
    refundPurchase([p1, p2], "b", at("2026-07-02T00:00:00Z"), SH);
    expect(cardsOf([p1, p2])).toEqual([]);
  });

  it("the 1.5× card beside a ×2 campaign day: ×2 wins, never ×3", () => {
    // ¥100 at 1 point per yuan, basic tier ×1: card 150%, campaign 200% → the larger, 200 points.
    expect(orderPoints(10_000, 1, 100, Math.max(200, 150))).toBe(200);
    // On an ordinary day the card's ×1.5 applies; with a gold tier ×1.2: 100 × 1.2 × 1.5 = 180.
    expect(orderPoints(10_000, 1, 120, Math.max(100, 150))).toBe(180);
  });
});

describe("plans in the program", () => {
  const base = programInput.parse(demoProgram);
  it("the demo program has 年卡 SVIP; a program without plans still parses, with none", () => {
    expect(base.plans).toEqual([
      {
        code: "svip",
        name: "年卡 SVIP",
        nameEn: "SVIP annual card",
        months: 12,
        price: 19900,
        points: 10000,
        rights: [
          { right: "free_shipping", quantity: 1, cadence: "on_start" },
          { right: "coupon_90", quantity: 2, cadence: "monthly" },
        ],
        pointsMultiplier: 1.5,
      },
    ]);
    const { plans: _omit, ...old } = demoProgram;
    void _omit;
    expect(programInput.parse(old).plans).toEqual([]);
  });

  it("bad plans: field-level issues", () => {
    const plan = base.plans[0];
    const bad = (plans: unknown[]) => {
      const r = programInput.safeParse({ ...demoProgram, plans });
      return r.success ? [] : [...new Set(r.error.issues.map((i) => i.path.join(".")))];
    };
    expect(bad([{ ...plan, price: -1 }])).toEqual(["plans.0.price"]);
    expect(bad([{ ...plan, price: null, points: null }])).toEqual(["plans.0.price"]);
    expect(bad([{ ...plan, months: 0 }])).toEqual(["plans.0.months"]);
    expect(bad([{ ...plan, rights: [{ right: "nope", quantity: 1, cadence: "monthly" }] }])).toEqual(["plans.0.rights.0.right"]);
    expect(bad([plan, plan])).toEqual(["plans.1.code"]);
    expect(bad([{ ...plan, pointsMultiplier: 1.555 }])).toEqual(["plans.0.pointsMultiplier"]);
  });
});

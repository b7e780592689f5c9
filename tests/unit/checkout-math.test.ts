import { describe, expect, it } from "vitest";
import { couponDiscount, maxUsablePoints, pointsGiveBack, pointsValueFen, proRata, splitWalletSpend, topUpBonus } from "@/lib/checkout/math";

// The demo program (demo-program.md, last section): points as cash enabled, at most 50% of an
// order, at least 100 points, in steps of 100; 100 points = ¥1 (1 point = 1 fen = 100 centi-fen).
const demo = { enabled: true, maxShare: 0.5, minPoints: 100, step: 100 };
const oneFen = 100;

describe("maxUsablePoints (demo rule)", () => {
  it.each([
    // ¥258 = 25,800 fen; half is 12,900 fen = 12,900 points, a multiple of 100.
    [25_800, 50_000, 12_900],
    // ¥99: half is 4,950 points, down to the step: 4,900.
    [9_900, 50_000, 4_900],
    // ¥1: half is 50 points, below the step and the minimum: none.
    [100, 50_000, 0],
    // ¥258 with only 1,234 points: the available points, down to the step.
    [25_800, 1_234, 1_200],
    // ¥258 with 99 points: below the minimum.
    [25_800, 99, 0],
  ])("order %i fen, %i available → %i", (amount, available, expected) => {
    expect(maxUsablePoints(demo, available, amount, oneFen)).toBe(expected);
  });

  it("is 0 when points as cash is off", () => {
    expect(maxUsablePoints({ ...demo, enabled: false }, 50_000, 25_800, oneFen)).toBe(0);
  });

  it("uses the point value: at 2 fen a point, half of ¥258 is 6,450 points → 6,400", () => {
    expect(maxUsablePoints(demo, 50_000, 25_800, 200)).toBe(6_400);
    expect(pointsValueFen(6_400, 200)).toBe(12_800);
  });

  it("a fractional point value (0.5 fen) rounds the value down", () => {
    expect(pointsValueFen(101, 50)).toBe(50);
  });
});

describe("couponDiscount", () => {
  it("¥20 off from ¥100 on a ¥50 order is refused with its threshold", () => {
    expect(couponDiscount({ type: "amount", amount: 2_000, minSpend: 10_000 }, 5_000)).toEqual({ usable: false, discount: 0, reason: "threshold", minSpend: 10_000 });
  });
  it("¥20 off from ¥100 on exactly ¥100 takes ¥20", () => {
    expect(couponDiscount({ type: "amount", amount: 2_000, minSpend: 10_000 }, 10_000)).toEqual({ usable: true, discount: 2_000 });
  });
  it("a ¥10 no-threshold coupon never takes more than the order (¥6.50)", () => {
    expect(couponDiscount({ type: "amount", amount: 1_000, minSpend: 0 }, 650)).toEqual({ usable: true, discount: 650 });
  });
  it("9折 (10%) on ¥258 takes ¥25.80; on ¥800 it is capped at ¥50", () => {
    expect(couponDiscount({ type: "percent", percent: 10, maxDiscount: 5_000 }, 25_800)).toEqual({ usable: true, discount: 2_580 });
    expect(couponDiscount({ type: "percent", percent: 10, maxDiscount: 5_000 }, 80_000)).toEqual({ usable: true, discount: 5_000 });
  });
  it("8.5折 (15%) on ¥99.99 rounds down to the fen: ¥14.99", () => {
    expect(couponDiscount({ type: "percent", percent: 15, maxDiscount: 10_000 }, 9_999)).toEqual({ usable: true, discount: 1_499 });
  });
  it("shipping takes nothing off the goods", () => {
    expect(couponDiscount({ type: "shipping" }, 25_800)).toEqual({ usable: true, discount: 0 });
  });
});

describe("topUpBonus (demo: ¥500 → ¥50, ¥1,000 → ¥120)", () => {
  const rules = [
    { minAmount: 50_000, bonus: 5_000 },
    { minAmount: 100_000, bonus: 12_000 },
  ];
  it.each([
    [30_000, 0],
    [50_000, 5_000],
    [99_999, 5_000],
    [100_000, 12_000],
  ])("top-up %i fen → bonus %i", (amount, bonus) => {
    expect(topUpBonus(rules, amount)).toBe(bonus);
    expect(topUpBonus([...rules].reverse(), amount)).toBe(bonus);
  });
});

describe("splitWalletSpend", () => {
  it("¥100 from ¥500 principal + ¥50 bonus: principal 100×500/550 = 90.909… → ¥90.90, bonus ¥9.10", () => {
    expect(splitWalletSpend(10_000, 50_000, 5_000)).toEqual({ principal: 9_090, bonus: 910 });
  });
  it("1 fen from 1 + 1: principal rounds down to 0, the fen comes from the bonus", () => {
    expect(splitWalletSpend(1, 1, 1)).toEqual({ principal: 0, bonus: 1 });
  });
  it("the whole balance takes all of both", () => {
    expect(splitWalletSpend(112_000, 100_000, 12_000)).toEqual({ principal: 100_000, bonus: 12_000 });
  });
  it("refuses more than the balance", () => {
    expect(() => splitWalletSpend(3, 1, 1)).toThrow(RangeError);
  });
});

describe("proRata", () => {
  it("half of ¥200 refunded gives back half of 3,001 points, rounded down: 1,500", () => {
    expect(proRata(3_001, 10_000, 20_000)).toBe(1_500);
  });
  it("a full refund gives back all", () => {
    expect(proRata(3_001, 20_000, 20_000)).toBe(3_001);
  });
});

describe("points given back by a refund of an order paid with points", () => {
  // A checkout spent 300 points on an order that paid ¥258.00: 101 from lot 1 (expires at the end of
  // 2026) and 199 from lot 2 (expires mid-2027).
  const lots = [
    { lotId: 1, points: 101, expiresAt: new Date("2026-12-31T16:00:00Z") },
    { lotId: 2, points: 199, expiresAt: new Date("2027-06-30T16:00:00Z") },
  ];
  it("a half refund returning points to two lots of different expiry", () => {
    // ¥129.00 of ¥258.00: lot 1 floor(101 × ½) = floor(50.5) = 50, lot 2 floor(199 × ½) = floor(99.5) = 99.
    expect(pointsGiveBack(lots, 0, 12_900, 25_800, new Date("2026-12-10T04:00:00Z"))).toEqual([
      { lotId: 1, give: 50, forfeited: 0 },
      { lotId: 2, give: 99, forfeited: 0 },
    ]);
    // The second half gives the rest exactly: 101 − 50 = 51 and 199 − 99 = 100 (so all 300 come back).
    expect(pointsGiveBack(lots, 12_900, 25_800, 25_800, new Date("2026-12-20T04:00:00Z"))).toEqual([
      { lotId: 1, give: 51, forfeited: 0 },
      { lotId: 2, give: 100, forfeited: 0 },
    ]);
  });
  it("a lot expired by the refund gets nothing back: its share is forfeited", () => {
    // The second half on 2027-01-05: lot 1 has expired, its 51 are not returned; lot 2 gets its 100.
    expect(pointsGiveBack(lots, 12_900, 25_800, 25_800, new Date("2027-01-05T04:00:00Z"))).toEqual([
      { lotId: 1, give: 0, forfeited: 51 },
      { lotId: 2, give: 100, forfeited: 0 },
    ]);
  });
});

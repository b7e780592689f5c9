import { describe, expect, it } from "vitest";
import { demoProgram } from "@/lib/program/demo-program";
import { programInput } from "@/lib/schemas/program";

describe("checkout configuration in the program", () => {
  it("a program exported before checkout (no pointsAsCash, coupon or wallet) still imports, with them off", () => {
    const { wallet: _w, ...old } = structuredClone(demoProgram);
    const { pointsAsCash: _p, ...points } = old.points;
    const rights = old.rights.map(({ coupon: _c, ...r }) => r);
    const p = programInput.parse({ ...old, points, rights });
    expect(p.points.pointsAsCash).toEqual({ enabled: false, maxShare: 0.5, minPoints: 100, step: 100 });
    expect(p.wallet).toEqual({ enabled: false, topUpBonuses: [] });
    expect(p.rights.every((r) => r.coupon === null)).toBe(true);
  });

  it("the demo program carries the demo's checkout values", () => {
    const p = programInput.parse(demoProgram);
    expect(p.points.pointsAsCash).toEqual({ enabled: true, maxShare: 0.5, minPoints: 100, step: 100 });
    expect(p.wallet.topUpBonuses).toEqual([
      { minAmount: 50_000, bonus: 5_000 },
      { minAmount: 100_000, bonus: 12_000 },
    ]);
    const coupon = (code: string) => p.rights.find((r) => r.code === code)?.coupon;
    expect(coupon("coupon_90")).toEqual({ type: "percent", percent: 10, maxDiscount: 5_000 });
    expect(coupon("coupon_85")).toEqual({ type: "percent", percent: 15, maxDiscount: 10_000 });
    expect(coupon("winback_20")).toEqual({ type: "amount", amount: 2_000, minSpend: 10_000 });
    expect(coupon("free_shipping")).toEqual({ type: "shipping" });
    expect(coupon("birthday_coupon")).toEqual({ type: "amount", amount: null, minSpend: 0 });
  });

  it("refuses a share over 1, a step of 0, a 100% coupon and two bonus rules at one amount, naming each field", () => {
    const bad = structuredClone(demoProgram);
    bad.points.pointsAsCash = { enabled: true, maxShare: 1.5, minPoints: 100, step: 0 };
    bad.rights[2].coupon = { type: "percent", percent: 100, maxDiscount: null };
    bad.wallet = { enabled: true, topUpBonuses: [{ minAmount: 50_000, bonus: 1 }, { minAmount: 50_000, bonus: 2 }] };
    const r = programInput.safeParse(bad);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["points.pointsAsCash.maxShare", "points.pointsAsCash.step", "rights.2.coupon.percent"]));
  });

  it("refuses two bonus rules starting at the same amount", () => {
    const bad = structuredClone(demoProgram);
    bad.wallet = { enabled: true, topUpBonuses: [{ minAmount: 50_000, bonus: 1 }, { minAmount: 50_000, bonus: 2 }] };
    const r = programInput.safeParse(bad);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["wallet.topUpBonuses.1.minAmount"]);
  });
});

import { describe, expect, it } from "vitest";
import { limitWindowStart, notEligibleReason, orderRefusal, type MallItemRow } from "@/lib/mall/rules";
import { openApiDocument, metricNames as documented } from "@/lib/openapi";
import { metricNames } from "@/lib/metrics";

const item = (o: Partial<MallItemRow> = {}): MallItemRow => ({
  merchantId: "m",
  itemId: "tote_bag",
  name: "帆布袋",
  nameEn: "Tote bag",
  kind: "goods",
  rightCode: null,
  planCode: null,
  points: 800,
  cash: 990,
  unitCost: 1500,
  stock: 200,
  perMemberLimit: { count: 1, period: "month" },
  tiers: null,
  startsAt: null,
  endsAt: null,
  description: null,
  imageUrl: null,
  sortOrder: 0,
  active: true,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...o,
});
const now = new Date("2026-12-01T04:00:00Z");
const ok = { tierCode: "basic", now, quantity: 1, orderedInWindow: 0, availablePoints: 5_000 };

describe("points-mall rules", () => {
  it.each([
    ["day", "2026-12-31", "2026-12-31"],
    ["month", "2026-12-31", "2026-12-01"],
    ["year", "2026-12-31", "2026-01-01"],
    ["ever", "2026-12-31", null],
  ] as const)("the %s window holding %s starts %s", (period, date, start) => expect(limitWindowStart(period, date)).toBe(start));

  it("eligibility: inactive, before its start, from its end, another tier", () => {
    expect(notEligibleReason(item(), "basic", now)).toBeNull();
    expect(notEligibleReason(item({ active: false }), "basic", now)).toMatch(/not active/);
    expect(notEligibleReason(item({ startsAt: new Date("2026-12-01T04:00:01Z") }), "basic", now)).toMatch(/from/);
    // endsAt is exclusive: at that instant the item is over.
    expect(notEligibleReason(item({ endsAt: now }), "basic", now)).toMatch(/until/);
    expect(notEligibleReason(item({ tiers: ["gold"] }), "basic", now)).toMatch(/gold/);
    expect(notEligibleReason(item({ tiers: ["gold"] }), "gold", now)).toBeNull();
  });

  it("refusals in order: eligibility, stock, limit, points", () => {
    expect(orderRefusal(item(), ok)).toBeNull();
    expect(orderRefusal(item({ active: false, stock: 0 }), ok)?.code).toBe("not_eligible");
    expect(orderRefusal(item({ stock: 0 }), { ...ok, orderedInWindow: 1 })?.code).toBe("out_of_stock");
    expect(orderRefusal(item({ stock: 1 }), { ...ok, quantity: 2 })?.code).toBe("out_of_stock");
    expect(orderRefusal(item({ stock: null }), { ...ok, quantity: 2 })?.code).toBe("limit_reached");
    expect(orderRefusal(item({ perMemberLimit: { count: 3, period: "ever" } }), { ...ok, quantity: 2, orderedInWindow: 1 })).toBeNull();
    // 2 × 800 = 1,600 points against 1,599.
    expect(orderRefusal(item({ perMemberLimit: null }), { ...ok, quantity: 2, availablePoints: 1_599 })?.code).toBe("insufficient_points");
    expect(orderRefusal(item({ perMemberLimit: null }), { ...ok, quantity: 2, availablePoints: 1_600 })).toBeNull();
  });

  it("the OpenAPI document has the mall's paths, its error codes and every metric", () => {
    const doc = openApiDocument();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/mall/items", "/api/v1/mall/items/{itemId}", "/api/v1/members/{memberId}/mall-orders", "/api/v1/mall-orders/{id}/cancel"]));
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(expect.arrayContaining(["out_of_stock", "limit_reached", "not_eligible"]));
    expect([...documented].sort()).toEqual([...metricNames].sort());
  });
});

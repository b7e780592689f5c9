import { describe, expect, it } from "vitest";
import { parseEvents } from "@/lib/engine/ingest";
import { redemptionInput } from "@/lib/schemas/events";

// What the database would refuse, or what breaks sums and dates, is rejected when an event is
// parsed: the event alone, with the field named.
const at = "2026-03-05T10:00:00+08:00";
const order = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: "o1", type: "order.paid", occurredAt: at, memberId: "M1", data: { orderId: "O1", amount: 100, ...data }, ...extra });
const review = (data: unknown) => ({ id: "r1", type: "review.posted", occurredAt: at, memberId: "M1", data });
const reg = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: "g1", type: "member.registered", occurredAt: at, memberId: "M1", data, ...extra });

/** The paths of the issues of each event ([] when it is valid). */
function paths(...raws: unknown[]) {
  const { results } = parseEvents(raws, ["events"]);
  return Array.from(results, (r) => (r ? (r.error?.code === "validation_failed" ? r.error.issues!.map((i) => i.path) : [`?${r.error?.code}`]) : []));
}
const nest = (levels: number): unknown => (levels === 0 ? 1 : [nest(levels - 1)]);

describe("event validation", () => {
  it("rejects a NUL or a lone surrogate in any string, named or free-form, and in keys", () => {
    expect(
      paths(
        order({}, { id: "o\u0000" }),
        order({}, { memberId: "M\ud800" }),
        order({ orderId: "O\u0000" }),
        reg({ name: "张\u0000" }),
        reg({ referrerId: "\udc00x" }),
        review({ text: "ok", nested: { deep: ["fine", "bad\u0000"] } }),
        review({ ["k\u0000"]: 1 }),
        order({ items: [{ sku: "A", note: "\ud800" }] }),
        order({}, { note: "unknown top-level key \u0000" }),
        { id: "x1", type: "order.refunded", occurredAt: at, memberId: "M1", data: { orderId: "O1", amount: 5, extra: "\u0000" } },
      ),
    ).toEqual([
      ["events.0.id"],
      ["events.1.memberId"],
      ["events.2.data.orderId"],
      ["events.3.data.name"],
      ["events.4.data.referrerId"],
      ["events.5.data.nested.deep.1"],
      ["events.6.data"],
      ["events.7.data.items.0.note"],
      ["events.8.note"],
      ["events.9.data.extra"],
    ]);
    // A surrogate pair (an emoji) is fine.
    expect(paths(reg({ name: "😀" }), review({ t: "😀" }))).toEqual([[], []]);
  });

  it("keeps occurredAt between 2000-01-01 and one day ahead", () => {
    const when = (occurredAt: string) => ({ id: "w", type: "member.checked_in", occurredAt, memberId: "M1" });
    const soon = new Date(Date.now() + 23 * 3_600_000).toISOString();
    const later = new Date(Date.now() + 25 * 3_600_000).toISOString();
    expect(
      paths(
        when("0000-01-01T00:00:00Z"),
        when("0001-06-01T00:00:00Z"),
        when("9999-12-31T00:00:00Z"),
        when("1969-12-31T00:00:00Z"),
        when("1970-01-02T00:00:00Z"),
        when("1999-12-31T23:59:59Z"),
        when("2000-01-01T00:00:00Z"),
        when(soon),
        when(later),
      ),
    ).toEqual([["events.0.occurredAt"], ["events.1.occurredAt"], ["events.2.occurredAt"], ["events.3.occurredAt"], ["events.4.occurredAt"], ["events.5.occurredAt"], [], [], ["events.8.occurredAt"]]);
  });

  it("limits nesting to 32 levels in an event, and measures 5,000 levels without recursing", () => {
    // The event is level 1, data level 2, data.a level 3: 30 arrays under data reach level 32.
    expect(paths(review({ a: nest(29) }), review({ a: nest(30) }), review({ a: nest(5000) }), order({ items: nest(31) as unknown[] })).map((p) => p.length)).toEqual([0, 0, 1, 1]);
    expect(paths(review({ a: nest(31) }))[0][0]).toMatch(/^events\.0\.data\.a(\.0)+$/);
  });

  it("bounds amounts: an order at most ¥10,000,000 (1e9 fen), the member discount at most the amount", () => {
    expect(
      paths(
        order({ amount: 1_000_000_000 }),
        order({ amount: 1_000_000_001 }),
        order({ amount: 2 ** 53 - 1 }),
        order({ amount: 500, memberDiscount: 500 }),
        order({ amount: 500, memberDiscount: 501 }),
        { id: "x", type: "order.refunded", occurredAt: at, memberId: "M1", data: { orderId: "O1", amount: 2 ** 53 - 1 } },
      ),
    ).toEqual([[], ["events.1.data.amount"], ["events.2.data.amount"], [], ["events.4.data.memberDiscount"], ["events.5.data.amount"]]);
    expect(redemptionInput.safeParse({ id: "r", points: 100_000_000, reason: "x" }).success).toBe(true);
    expect(redemptionInput.safeParse({ id: "r", points: 100_000_001, reason: "x" }).success).toBe(false);
    expect(redemptionInput.safeParse({ id: "r", points: 5, reason: "x\u0000" }).success).toBe(false);
  });

  it("takes birthdays from 1900 up to today", () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(paths(reg({ birthday: "1990-05-01" }), reg({ birthday: "1899-12-31" }), reg({ birthday: tomorrow }), reg({ birthday: "0000-01-01" }))).toEqual([
      [],
      ["events.1.data.birthday"],
      ["events.2.data.birthday"],
      ["events.3.data.birthday"],
    ]);
  });
});

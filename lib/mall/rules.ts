import type { mallItems } from "@/db/schema";
import type { MallOrderAnswer } from "@/lib/schemas/mall";

export type MallItemRow = typeof mallItems.$inferSelect;
export type Refusal = "out_of_stock" | "limit_reached" | "not_eligible" | "insufficient_points";
/** What the refusals read of an item. */
export type RefusalItem = Pick<MallItemRow, "active" | "startsAt" | "endsAt" | "tiers" | "stock" | "perMemberLimit" | "points">;

/**
 * The first business date of the per-member limit's window that holds `date` (YYYY-MM-DD, the
 * merchant's time zone): the day itself, the 1st of its month, 1 January of its year, or null for
 * "ever" (no lower bound).
 */
export function limitWindowStart(period: "day" | "month" | "year" | "ever", date: string): string | null {
  if (period === "day") return date;
  if (period === "month") return `${date.slice(0, 7)}-01`;
  if (period === "year") return `${date.slice(0, 4)}-01-01`;
  return null;
}

/** Why the item is not open to a member of `tierCode` at `now` regardless of stock and limits, or null. */
export function notEligibleReason(item: RefusalItem, tierCode: string, now: Date): string | null {
  if (!item.active) return "the item is not active";
  if (item.startsAt && now < item.startsAt) return `the item is on offer from ${item.startsAt.toISOString()}`;
  if (item.endsAt && now >= item.endsAt) return `the item was on offer until ${item.endsAt.toISOString()}`;
  if (item.tiers && item.tiers.length > 0 && !item.tiers.includes(tierCode)) return `only for tiers ${item.tiers.join(", ")}`;
  return null;
}

/**
 * The first refusal of an order of `quantity` (in api.md's order of checks: eligibility, stock,
 * the member's limit, points), or null when it may be placed.
 */
export function orderRefusal(
  item: RefusalItem,
  o: { tierCode: string; now: Date; quantity: number; orderedInWindow: number; availablePoints: number },
): { code: Refusal; message: string } | null {
  const why = notEligibleReason(item, o.tierCode, o.now);
  if (why) return { code: "not_eligible", message: why };
  if (item.stock !== null && item.stock < o.quantity) return { code: "out_of_stock", message: item.stock === 0 ? "out of stock" : `only ${item.stock} left` };
  const limit = item.perMemberLimit;
  if (limit && o.orderedInWindow + o.quantity > limit.count)
    return { code: "limit_reached", message: `at most ${limit.count} per member ${limit.period === "ever" ? "in all" : `per ${limit.period}`}; ${o.orderedInWindow} already ordered` };
  const points = item.points * o.quantity;
  if (points > o.availablePoints) return { code: "insufficient_points", message: `${points} points needed, ${o.availablePoints} available` };
  return null;
}

/** An order as the API answers it, from its row (read by the query builder or as JSON). */
export function orderAnswer(o: Pick<MallOrderAnswer, "memberId" | "itemId" | "quantity" | "points" | "cash" | "status"> & { orderId: string; kind: string; grantIds: string[] }): MallOrderAnswer {
  return {
    id: o.orderId,
    memberId: o.memberId,
    itemId: o.itemId,
    quantity: o.quantity,
    points: o.points,
    cash: o.cash,
    status: o.status,
    ...(o.kind === "right" ? { grantIds: o.grantIds } : {}),
  };
}

import { addMonths, businessDate, startOfBusinessDate } from "@/lib/util/dates";

/** One purchase of a paid-membership card, as the engine and the mall work on it (db/schema/memberships.ts). */
export interface Purchase {
  purchaseId: string;
  memberId: string;
  planCode: string;
  months: number;
  purchasedAt: Date;
  startsAt: Date;
  endsAt: Date;
  refundedAt: Date | null;
}

/** A card as members read it: contiguous purchases not refunded (extensions move its `endsAt`). */
export interface Card {
  plan: string;
  startsAt: Date;
  endsAt: Date;
  purchaseIds: string[];
}

/**
 * The end of a card of `months` months from `start`: the same day of the month `months` later in the
 * merchant's time zone (the month's last day when that day does not exist: Jan 31 + 1 month → Feb
 * 28, or 29 in a leap year), at the same time of day; exclusive.
 */
export function cardEnd(start: Date, months: number, timeZone: string): Date {
  const day = businessDate(start, timeZone);
  const timeOfDay = start.getTime() - startOfBusinessDate(day, timeZone).getTime();
  return new Date(startOfBusinessDate(addMonths(day, months), timeZone).getTime() + timeOfDay);
}

const live = (ps: Purchase[]) => ps.filter((p) => p.refundedAt === null);

/**
 * Where a new purchase at `at` runs: from `at`, or, while a card runs (or one bought ahead starts
 * later), from that card's end: stacking adds its months to `endsAt`.
 */
export function nextSegment(existing: Purchase[], at: Date, months: number, timeZone: string): { startsAt: Date; endsAt: Date; extends: boolean } {
  const later = live(existing).filter((p) => p.endsAt > at);
  const lastEnd = later.reduce<Date | null>((max, p) => (max === null || p.endsAt > max ? p.endsAt : max), null);
  const startsAt = lastEnd ?? at;
  return { startsAt, endsAt: cardEnd(startsAt, months, timeZone), extends: lastEnd !== null };
}

/**
 * A refund removes the purchase's months: it is marked refunded and the purchases after it in the
 * same card move back to start where it started, each keeping its months. Returns the purchases
 * whose times changed (the refunded one is changed in place too).
 */
export function refundPurchase(existing: Purchase[], purchaseId: string, at: Date, timeZone: string): Purchase[] {
  const r = existing.find((p) => p.purchaseId === purchaseId);
  if (!r || r.refundedAt) return [];
  const rest = live(existing).filter((p) => p !== r);
  r.refundedAt = at;
  const moved: Purchase[] = [];
  let endOfPrevious = r.endsAt;
  let start = r.startsAt;
  for (;;) {
    const next = rest.find((p) => p.startsAt.getTime() === endOfPrevious.getTime());
    if (!next) break;
    endOfPrevious = next.endsAt;
    next.startsAt = start;
    next.endsAt = cardEnd(start, next.months, timeZone);
    start = next.endsAt;
    moved.push(next);
  }
  return moved;
}

/** The member's cards, oldest first: runs of purchases not refunded, each starting where the last ended. */
export function cardsOf(purchases: Purchase[]): Card[] {
  const sorted = live(purchases).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const cards: Card[] = [];
  for (const p of sorted) {
    const last = cards[cards.length - 1];
    if (last && last.endsAt.getTime() === p.startsAt.getTime()) {
      last.endsAt = p.endsAt;
      last.plan = p.planCode;
      last.purchaseIds.push(p.purchaseId);
    } else if (p.endsAt > p.startsAt) cards.push({ plan: p.planCode, startsAt: p.startsAt, endsAt: p.endsAt, purchaseIds: [p.purchaseId] });
  }
  return cards;
}

/** The purchase whose time covers `at` (startsAt ≤ at < endsAt), if any. */
export function purchaseAt(purchases: Purchase[], at: Date): Purchase | undefined {
  return live(purchases).find((p) => p.startsAt <= at && at < p.endsAt);
}

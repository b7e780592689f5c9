/** A lot of earned points; `id` is null for a lot created in the current batch and not yet stored. */
export interface Lot {
  id: number | null;
  key: string;
  source: string;
  memberId: string;
  earnedAt: Date;
  expiresAt: Date;
  amount: number;
  remaining: number;
  /**
   * Points of `remaining` set aside by open checkout holds (api.md, Checkout): they stay in the
   * balance and in the lot until the hold is confirmed or closes, and nothing else may take them.
   */
  held: number;
  dirty: boolean;
}

/** What of a lot may be taken: its remaining points less what open holds set aside. */
export const freeOf = (lot: Lot) => lot.remaining - lot.held;

/**
 * Takes `amount` points from lots: the preferred lot first (a refund claws from its own order's
 * lot), then oldest-expiring first. Returns what it took from each lot; it never takes more than
 * a lot holds free of open holds, so the total may fall short of `amount` when the lots hold less.
 */
export function takeFromLots(lots: Lot[], amount: number, preferredSource?: string): { lot: Lot; take: number }[] {
  const order = [...lots]
    .filter((l) => freeOf(l) > 0)
    .sort((a, b) => {
      const pa = a.source === preferredSource ? 0 : 1;
      const pb = b.source === preferredSource ? 0 : 1;
      if (pa !== pb) return pa - pb;
      return a.expiresAt.getTime() - b.expiresAt.getTime() || (a.id ?? Infinity) - (b.id ?? Infinity) || a.key.localeCompare(b.key);
    });
  const taken: { lot: Lot; take: number }[] = [];
  let left = amount;
  for (const lot of order) {
    if (left <= 0) break;
    const take = Math.min(freeOf(lot), left);
    taken.push({ lot, take });
    left -= take;
  }
  return taken;
}

/** Credits earned points against a debt first: returns what reaches the balance and what pays the debt. */
export function settleDebt(earned: number, debt: number): { credited: number; paid: number } {
  const paid = Math.min(earned, debt);
  return { credited: earned - paid, paid };
}

/**
 * The money math of checkout (api.md, "Checkout" and "Stored value"), pure and integer-only:
 * points usable as cash, what a coupon takes off, how a wallet spend splits into principal and
 * bonus, the top-up bonus in force, and the pro-rata share a partial refund gives back.
 */

export interface PointsAsCash {
  enabled: boolean;
  /** Largest share of the order amount points may pay, 0–1. */
  maxShare: number;
  minPoints: number;
  step: number;
}

/** maxShare as basis points, so the cap is computed in integers (0.5 → 5,000). */
const basisPoints = (share: number) => Math.round(share * 10_000);

/** What `points` are worth in fen, rounded down (pointValueCentiFen: hundredths of a fen per point). */
export const pointsValueFen = (points: number, pointValueCentiFen: number) => Math.floor((points * pointValueCentiFen) / 100);

/**
 * The most points a member may use on an order of `amount` fen: the largest multiple of `step` not
 * above `available` nor `maxShare` × amount (in points), and 0 when that is below `minPoints`.
 */
export function maxUsablePoints(rule: PointsAsCash, available: number, amount: number, pointValueCentiFen: number): number {
  if (!rule.enabled || available <= 0 || amount <= 0) return 0;
  // points p are allowed while p × value ≤ share × amount: p ≤ amount × bp × 100 / (10,000 × centiFen)
  const byShare = Math.floor((amount * basisPoints(rule.maxShare) * 100) / (10_000 * pointValueCentiFen));
  const stepped = Math.floor(Math.min(available, byShare) / rule.step) * rule.step;
  return stepped < rule.minPoints ? 0 : stepped;
}

export type CouponEffect = { type: "amount"; amount: number; minSpend: number } | { type: "percent"; percent: number; maxDiscount?: number | null } | { type: "shipping" };

export type CouponQuote = { usable: true; discount: number } | { usable: false; discount: 0; reason: "threshold"; minSpend: number };

/**
 * What a coupon takes off an order of `amount` fen. A fixed amount never exceeds the order; a
 * percentage is rounded down to the fen and capped; shipping takes nothing off the goods (the shop
 * waives its shipping fee).
 */
export function couponDiscount(effect: CouponEffect, amount: number): CouponQuote {
  switch (effect.type) {
    case "amount":
      if (amount < effect.minSpend) return { usable: false, discount: 0, reason: "threshold", minSpend: effect.minSpend };
      return { usable: true, discount: Math.min(effect.amount, amount) };
    case "percent": {
      const raw = Math.floor((amount * effect.percent) / 100);
      return { usable: true, discount: effect.maxDiscount == null ? raw : Math.min(raw, effect.maxDiscount) };
    }
    case "shipping":
      return { usable: true, discount: 0 };
  }
}

/**
 * A wallet spend taken from principal and bonus in proportion to their balances: the principal
 * share rounded down, the rest from the bonus — in the member's favour, since principal is what a
 * top-up refund gives back.
 */
export function splitWalletSpend(spend: number, principal: number, bonus: number): { principal: number; bonus: number } {
  const total = principal + bonus;
  if (spend <= 0 || total <= 0) return { principal: 0, bonus: 0 };
  if (spend > total) throw new RangeError(`spend ${spend} is over the balance ${total}`);
  const fromPrincipal = Math.floor((spend * principal) / total);
  return { principal: fromPrincipal, bonus: spend - fromPrincipal };
}

export interface TopUpBonus {
  minAmount: number;
  bonus: number;
}

/** The bonus of the largest rule whose `minAmount` ≤ the top-up (0 when none applies). */
export function topUpBonus(rules: readonly TopUpBonus[], amount: number): number {
  let best: TopUpBonus | null = null;
  for (const r of rules) if (r.minAmount <= amount && (!best || r.minAmount > best.minAmount)) best = r;
  return best?.bonus ?? 0;
}

/** The part of `taken` a refund of `refunded` out of `paid` gives back, rounded down; all of it on a full refund. */
export function proRata(taken: number, refunded: number, paid: number): number {
  if (refunded >= paid) return taken;
  return Math.floor((taken * refunded) / paid);
}

/**
 * What a refund gives back, lot by lot, of the points a checkout spent: each lot's pro-rata share
 * of the refunds so far (`proRata`, so partial refunds add up to exactly all of it on the full
 * refund) less what the refunds before gave. A lot already expired at the refund gets nothing back:
 * its share is `forfeited` (the ledger says so).
 */
export function pointsGiveBack(
  lots: readonly { lotId: number; points: number; expiresAt: Date }[],
  refundedBefore: number,
  refundedAfter: number,
  paid: number,
  at: Date,
): { lotId: number; give: number; forfeited: number }[] {
  return lots.map((l) => {
    const share = proRata(l.points, refundedAfter, paid) - proRata(l.points, refundedBefore, paid);
    return l.expiresAt <= at ? { lotId: l.lotId, give: 0, forfeited: share } : { lotId: l.lotId, give: share, forfeited: 0 };
  });
}

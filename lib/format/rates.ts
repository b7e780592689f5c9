/** Percentages and discounts, one way each. */

/** 12.3% from 0.123 (one decimal). */
export function formatPercent(ratio: number | null | undefined, locale: string): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "—";
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ratio);
}

/**
 * Axis ticks as percentages with as many decimals as it takes to tell them apart (0.5%, 0.55%, 0.6%,
 * never two "0.5%"): returns a tick formatter for the given ticks.
 */
export function percentAxisFormatter(ticks: readonly number[], locale: string): (ratio: number) => string {
  for (let digits = 0; digits <= 4; digits++) {
    const f = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits });
    if (new Set(ticks.map((t) => f.format(t))).size === new Set(ticks).size) return (r) => f.format(r);
  }
  const f = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 4 });
  return (r) => f.format(r);
}

/** A discount of `pctOff` percent as a Chinese shopper reads it: 12 → 8.8折; in English "12% off". */
export function formatDiscount(pctOff: number, locale: string): string {
  if (locale.startsWith("zh")) {
    const zhe = (100 - pctOff) / 10;
    return `${Number.isInteger(zhe) ? zhe : zhe.toFixed(Number.isInteger(zhe * 10) ? 1 : 2).replace(/0+$/, "")}折`;
  }
  return `${pctOff}% off`;
}

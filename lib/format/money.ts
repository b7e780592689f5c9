/**
 * Money as the merchant reads it: fen in, yuan out, always with two decimals (¥1,258.00), one
 * style on every page. Axis labels alone may abbreviate (¥1.35万), and only to a figure that
 * equals the value (never ¥1.4万 for 13,500).
 */
const cache = new Map<string, Intl.NumberFormat>();
const nf = (locale: string, o: Intl.NumberFormatOptions) => {
  const key = `${locale}|${JSON.stringify(o)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, o)));
  return f;
};

const signed = (text: string, negative: boolean) => (negative ? `-${text}` : text);

/** ¥1,258.00 from 125800 fen; "—" for nothing. */
export function formatMoney(fen: number | null | undefined, locale: string): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return "—";
  return signed(`¥${nf(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.abs(fen) / 100)}`, fen < 0);
}

/** A chart axis label: ¥1.35万 / ¥13.5K for 13,500 yuan, exact to the yuan's significant digits shown (up to 2 decimals of the unit). */
export function formatMoneyAxis(fen: number, locale: string): string {
  const yuan = Math.abs(fen) / 100;
  const compact = nf(locale, { notation: "compact", maximumFractionDigits: 2 }).format(yuan);
  // Compact notation rounds; where it would show a different figure, or no unit at all, the grouped number is shown instead.
  const abbreviated = /[^\d.,\s]/.test(compact) && Math.abs(parseCompact(compact, locale) - yuan) < 0.005;
  const exact = abbreviated ? compact : nf(locale, { maximumFractionDigits: 2 }).format(yuan);
  return signed(`¥${exact}`, fen < 0);
}

/** The value a compact label stands for (1.35万 → 13500, 13.5K → 13500). */
function parseCompact(label: string, locale: string): number {
  const n = Number(label.replace(/[^\d.]/g, ""));
  const unit = label.replace(/[\d.,\s]/g, "");
  const zh: Record<string, number> = { 万: 1e4, 亿: 1e8, 万亿: 1e12 };
  const en: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
  return n * ((locale.startsWith("zh") ? zh[unit] : en[unit]) ?? 1);
}

import { formatMoney } from "@/lib/format/money";

/** Fen → "¥1,234.50", "¥530.00": always two decimals, as everywhere (lib/format/money). */
export function formatYuan(fen: number, locale: string) {
  return formatMoney(fen, locale);
}

export const formatInt = (n: number, locale: string) => n.toLocaleString(locale);

/** A date-time in the merchant's zone, e.g. 2026-03-08 10:15. */
export function formatDateTime(iso: string | null, timeZone: string, withTime = true) {
  if (!iso) return "—";
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const date = `${get("year")}-${get("month")}-${get("day")}`;
  return withTime ? `${date} ${get("hour")}:${get("minute")}` : date;
}

export type Named = { zh: string; en: string };
export const localName = (n: Named | null | undefined, locale: string) => (n ? (locale === "en" ? n.en : n.zh) : "—");

/**
 * The list's position and total, e.g. "1–50 / 12,345", or "51–100 / 约 230,000" when the total is
 * an estimate (rounded to two significant digits: it claims no more precision than it has).
 */
export function formatListRange(start: number, shown: number, total: { count: number; exact: boolean }, locale: string, about: string) {
  const range = shown === 0 ? "0" : `${formatInt(start, locale)}–${formatInt(start + shown - 1, locale)}`;
  if (total.exact) return `${range} / ${formatInt(total.count, locale)}`;
  const digits = Math.max(0, String(Math.trunc(total.count)).length - 2);
  const rounded = Math.round(total.count / 10 ** digits) * 10 ** digits;
  return `${range} / ${about} ${formatInt(rounded, locale)}`;
}

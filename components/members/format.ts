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

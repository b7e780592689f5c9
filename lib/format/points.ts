/** Points are 积分 (never "分", which reads as a fen of money). */
export function formatPoints(points: number | null | undefined, locale: string): string {
  if (points === null || points === undefined || !Number.isFinite(points)) return "—";
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(points);
  return locale.startsWith("zh") ? `${n} 积分` : `${n} ${Math.abs(points) === 1 ? "point" : "points"}`;
}

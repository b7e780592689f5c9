/**
 * A KPI's change against the previous period as the card shows it. Rates change in percentage
 * points; counts, amounts and ROI relative to before. A relative change over a base less than a
 * twentieth of now (+1,900% or more) says little, so it is marked `smallBase` ("基数小").
 */
export type KpiKind = "count" | "money" | "rate" | "times";

export function kpiChange(kind: KpiKind, now: number | null | undefined, before: number | null | undefined): { delta: number | null; smallBase: boolean } {
  if (now === null || now === undefined || before === null || before === undefined) return { delta: null, smallBase: false };
  if (kind === "rate") return { delta: now - before, smallBase: false };
  if (before === 0) return { delta: null, smallBase: false };
  return { delta: (now - before) / Math.abs(before), smallBase: Math.abs(before) * 20 <= Math.abs(now) };
}

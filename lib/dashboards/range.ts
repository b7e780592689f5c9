import { addDays, addMonths, daysBetween } from "@/lib/util/dates";
import type { Granularity } from "@/lib/metrics/periods";

/** The date range presets of the dashboards; `custom` reads `from`/`to` from the URL. */
export const presets = ["7d", "30d", "month", "lastMonth", "12m", "custom"] as const;
export type Preset = (typeof presets)[number];
export const granularities = ["day", "week", "month"] as const satisfies Granularity[];

/** The dashboard filters, as held in the URL search params (`range`, `from`, `to`, `tier`, `granularity`). */
export interface DashboardFilters {
  preset: Preset;
  from: string;
  to: string;
  tier: string | null;
  granularity: Granularity;
}

const isDate = (v: string | undefined): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

/** [from, to] of a preset, `today` being the merchant's business date (today included). */
export function presetRange(preset: Exclude<Preset, "custom">, today: string): { from: string; to: string } {
  switch (preset) {
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "month":
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case "lastMonth": {
      const first = addMonths(`${today.slice(0, 7)}-01`, -1);
      return { from: first, to: addDays(`${today.slice(0, 7)}-01`, -1) };
    }
    case "12m":
      return { from: addMonths(`${today.slice(0, 7)}-01`, -11), to: today };
  }
}

/** The granularity a range reads best at: days up to ~2 months, weeks up to ~6 months, then months. */
export function defaultGranularity(from: string, to: string): Granularity {
  const days = daysBetween(from, to) + 1;
  return days <= 62 ? "day" : days <= 190 ? "week" : "month";
}

/** The filters from URL search params; anything missing or malformed falls back to the last 30 days. */
export function parseFilters(params: Record<string, string | string[] | undefined>, today: string, tiers: string[]): DashboardFilters {
  const get = (k: string) => {
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const rawPreset = get("range");
  let preset: Preset = (presets as readonly string[]).includes(rawPreset ?? "") ? (rawPreset as Preset) : "30d";
  let range: { from: string; to: string };
  const from = get("from");
  const to = get("to");
  if (preset === "custom" && isDate(from) && isDate(to) && from <= to && to < addMonths(from, 36)) range = { from, to };
  else {
    if (preset === "custom") preset = "30d";
    range = presetRange(preset as Exclude<Preset, "custom">, today);
  }
  const tier = get("tier");
  const g = get("granularity");
  return {
    preset,
    ...range,
    tier: tier && tiers.includes(tier) ? tier : null,
    granularity: (granularities as readonly string[]).includes(g ?? "") ? (g as Granularity) : defaultGranularity(range.from, range.to),
  };
}

/** The period of equal length just before [from, to] (for "change vs the previous period"). */
export function previousRange(from: string, to: string): { from: string; to: string } {
  const days = daysBetween(from, to) + 1;
  return { from: addDays(from, -days), to: addDays(from, -1) };
}

/** Relative change from `before` to `now`; null when either is missing or `before` is 0. */
export function change(now: number | null | undefined, before: number | null | undefined): number | null {
  if (now === null || now === undefined || before === null || before === undefined || before === 0) return null;
  return (now - before) / Math.abs(before);
}

import type { Program, CampaignInput } from "@/lib/schemas/program";
import { addDays, addMonths, isoWeekday, startOfBusinessDate } from "@/lib/util/dates";
import type { Threshold } from "@/lib/reasons/catalogue";

type Tier = Program["tiers"][number];
type Campaign = Program["campaigns"][number];

/** Is a campaign in force on a business date for a member of this tier and birthday? */
export function campaignApplies(c: Campaign | CampaignInput, date: string, tierCode: string, birthday: string | null): boolean {
  if (c.enabled === false) return false;
  if (c.targetTiers.length > 0 && !c.targetTiers.includes(tierCode)) return false;
  const s = c.schedule;
  switch (s.kind) {
    case "range":
      return s.from <= date && date <= s.to;
    case "monthlyDay":
      return Number(date.slice(8, 10)) === s.day;
    case "weekday":
      return isoWeekday(date) === s.weekday;
    case "birthdayMonth":
      return !!birthday && birthday.slice(5, 7) === date.slice(5, 7);
  }
}

export function campaignsInForce(p: Pick<Program, "campaigns">, date: string, tierCode: string, birthday: string | null) {
  return p.campaigns.filter((c) => campaignApplies(c, date, tierCode, birthday));
}

/** Overlapping multipliers take the maximum, not the product (×2 and ×2 give ×2). */
export function campaignMultiplierPct(campaigns: Campaign[]): number {
  return campaigns.reduce((max, c) => (c.effect.kind === "pointsMultiplier" ? Math.max(max, c.effect.pct) : max), 100);
}

/**
 * Points for a paid order: floor(paid fen ÷ 100 × points per yuan × tier multiplier × campaign
 * multiplier), in integers: multipliers are percentages, so divide by 100³ once at the end.
 */
export function orderPoints(amountFen: number, perYuan: number, tierPct: number, campaignPct: number): number {
  return Number((BigInt(amountFen) * BigInt(perYuan) * BigInt(tierPct) * BigInt(campaignPct)) / 1_000_000n);
}

export function orderGrowth(amountFen: number, perYuan: number): number {
  return Math.floor((amountFen * perYuan) / 100);
}

/** The example line the points editor shows: what an order earns under a program. */
export function explainOrderPoints(p: Program, tierCode: string, amountFen: number, date: string, birthday: string | null = null) {
  const tier = p.tiers.find((t) => t.code === tierCode) ?? p.tiers[0];
  const campaigns = campaignsInForce(p, date, tier.code, birthday);
  const campaignPct = campaignMultiplierPct(campaigns);
  const bonus = campaigns.reduce((s, c) => s + (c.effect.kind === "bonusPoints" ? c.effect.points : 0), 0);
  return {
    points: orderPoints(amountFen, p.points.perYuan, tier.pointsMultiplierPct, campaignPct) + bonus,
    tierPct: tier.pointsMultiplierPct,
    campaignPct,
    bonus,
    campaigns: campaigns.map((c) => c.code),
  };
}

/** Clawback so far owed for a refund, computed on the cumulative refund so rounding never drifts. */
export function proRataClawback(earned: number, orderAmount: number, refundedTotal: number, alreadyClawed: number): number {
  const target = Number((BigInt(earned) * BigInt(refundedTotal)) / BigInt(orderAmount));
  return Math.max(0, target - alreadyClawed);
}

export interface Measures {
  growth: { lifetime: number; rolling12m: number; calendarYear: number };
  spend: { lifetime: number; rolling12m: number; calendarYear: number };
  orders: { lifetime: number; rolling12m: number; calendarYear: number };
}

export function meetsTier(t: Tier, m: Measures): boolean {
  if (t.thresholds.length === 0) return true;
  const ok = t.thresholds.map((th) => m[th.measure][th.window] >= th.value);
  return t.thresholdMode === "all" ? ok.every(Boolean) : ok.some(Boolean);
}

/** Rank of the highest tier whose thresholds the measures meet (tiers are in rank order). */
export function qualifyingRank(p: Pick<Program, "tiers">, m: Measures): number {
  let rank = 0;
  p.tiers.forEach((t, i) => {
    if (meetsTier(t, m)) rank = i;
  });
  return rank;
}

/** Which windows a program's thresholds read, so the engine loads only what it needs. */
export function windowsUsed(p: Pick<Program, "tiers">) {
  const used = new Set<string>();
  for (const t of p.tiers) for (const th of t.thresholds) used.add(`${th.measure}:${th.window}`);
  return used;
}

export function describeThresholds(t: Tier, m: Measures): string {
  return t.thresholds.map((th) => `${th.measure}(${th.window}) ${m[th.measure][th.window]} ≥ ${th.value}`).join(t.thresholdMode === "all" ? " and " : " or ");
}

/**
 * The birthdays (MM-DD) whose day is `date`: its own, and on Feb 28 of a year without a Feb 29 also
 * Feb 29, so a leap-day birthday fires every year.
 */
export function birthdaysOn(date: string): string[] {
  const md = date.slice(5);
  const year = Number(date.slice(0, 4));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return md === "02-28" && !leap ? ["02-28", "02-29"] : [md];
}

/** The thresholds a tier move was measured against, as reason parameters (see lib/reasons). */
export function thresholdParams(t: Tier, m: Measures): { conditions: Threshold[]; mode: "all" | "any" } {
  return { conditions: t.thresholds.map((th) => ({ measure: th.measure, window: th.window, actual: m[th.measure][th.window], value: th.value })), mode: t.thresholdMode };
}

/** When a lot earned on a business date expires: the instant after its last valid business day. */
export function lotExpiry(p: Pick<Program, "points" | "timeZone">, earnedDate: string): Date {
  const e = p.points.expiry;
  if (e.kind === "never") return new Date("9999-12-31T00:00:00Z");
  if (e.kind === "endOfNextYear") return startOfBusinessDate(`${Number(earnedDate.slice(0, 4)) + 2}-01-01`, p.timeZone);
  return startOfBusinessDate(addDays(addMonths(earnedDate, e.months), 1), p.timeZone);
}

export function lifecycleOf(
  p: Pick<Program, "lifecycle">,
  today: string,
  registeredDate: string,
  lastOrderDate: string | null,
): "new" | "active" | "dormant" | "lost" {
  if (registeredDate > addDays(today, -p.lifecycle.newDays)) return "new";
  if (!lastOrderDate || lastOrderDate <= addDays(today, -p.lifecycle.lostDays)) return "lost";
  if (lastOrderDate <= addDays(today, -p.lifecycle.dormantDays)) return "dormant";
  return "active";
}

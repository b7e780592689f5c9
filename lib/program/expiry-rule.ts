import type { Program } from "@/lib/schemas/program";
import { addMonths, businessDate } from "@/lib/util/dates";

/**
 * The points expiry rule in one place, for every page and answer that states it. The engine
 * (lib/engine/rules.ts lotExpiry) expires a lot at the instant after its last valid business day;
 * readers are shown that last valid day, "usable through" it (the day itself included).
 */
type Expiry = Program["points"]["expiry"];

/** The last business day a lot expiring at `expiresAt` can be used (null for points that never expire). */
export function lastValidDay(expiresAt: Date | string, timeZone: string): string | null {
  const t = new Date(expiresAt).getTime();
  if (t >= Date.parse("9999-01-01T00:00:00Z")) return null;
  return businessDate(new Date(t - 1), timeZone);
}

/** The rule as a sentence with a worked example (earned 2026-06-13). */
export function expiryRuleText(expiry: Expiry, lang: "zh" | "en"): string {
  const earned = "2026-06-13";
  if (expiry.kind === "never") return lang === "zh" ? "积分永不过期。" : "Points never expire.";
  if (expiry.kind === "endOfNextYear")
    return lang === "zh"
      ? `积分在获得次年的 12 月 31 日当天结束时过期：${earned} 获得的积分可用至 2027-12-31（含当天）。`
      : `Points expire at the end of December 31 of the year after they are earned: points earned ${earned} are usable through 2027-12-31.`;
  const through = addMonths(earned, expiry.months);
  return lang === "zh"
    ? `积分在获得 ${expiry.months} 个月后的同一天结束时过期：${earned} 获得的积分可用至 ${through}（含当天）。`
    : `Points expire at the end of the same day ${expiry.months} months after they are earned: points earned ${earned} are usable through ${through}.`;
}

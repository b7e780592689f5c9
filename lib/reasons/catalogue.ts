/**
 * Reason codes: why a ledger or tier-history row exists, as a code with its parameters, rendered
 * in the reader's language here (the one catalogue). The engine still stores an English `reason`
 * text beside the code for support; pages, exports and API answers render the code.
 */
import { sourceText } from "./source";

export type Localized = { zh: string; en: string };
export type ReasonParam = string | number | boolean | null | Localized | Threshold[];
export type ReasonParams = Record<string, ReasonParam>;
export interface Threshold {
  measure: "growth" | "spend" | "orders";
  window: "lifetime" | "rolling12m" | "calendarYear";
  actual: number;
  value: number;
}

export const reasonCodes = [
  "registered",
  "registered_trial",
  "order",
  "order_growth",
  "campaign_bonus",
  "refund",
  "refund_growth",
  "refund_return",
  "checkin",
  "review",
  "share",
  "profile_completed",
  "referral",
  "upgraded",
  "trial_ended",
  "inactive",
  "requalify_failed",
  "requalified",
  "automation_bonus",
  "expired",
  "checkout",
  "mall_order",
  "mall_cancel",
  "redemption",
  "manual",
  "registered_first_order",
  "first_order_upgrade",
  "referral_order_referrer",
  "referral_order_referee",
] as const;
export type ReasonCode = (typeof reasonCodes)[number];
export type Lang = "zh" | "en";

/** The locale's language for reasons (zh-CN → zh, anything else → en). */
export const langOf = (locale: string): Lang => (locale.toLowerCase().startsWith("zh") ? "zh" : "en");

function yuan(fen: unknown, lang: Lang): string {
  const n = Number(fen) / 100;
  return `¥${n.toLocaleString(lang === "zh" ? "zh-CN" : "en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
const int = (v: unknown, lang: Lang) => Number(v).toLocaleString(lang === "zh" ? "zh-CN" : "en-US");
const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));
function named(v: unknown, lang: Lang): string {
  if (v && typeof v === "object" && "zh" in v && "en" in v) {
    const l = v as Localized;
    return (lang === "zh" ? l.zh : l.en) || l.zh || l.en;
  }
  return str(v);
}

const measureWords: Record<Lang, Record<Threshold["measure"], string>> = {
  zh: { growth: "成长值", spend: "消费额", orders: "订单数" },
  en: { growth: "growth", spend: "spend", orders: "orders" },
};
const windowWords: Record<Lang, Record<Threshold["window"], string>> = {
  zh: { lifetime: "累计", rolling12m: "近12个月", calendarYear: "本年度" },
  en: { lifetime: "lifetime", rolling12m: "last 12 months", calendarYear: "this calendar year" },
};

/** "累计成长值 20,011 ≥ 20,000" for each condition, joined by 且/或 (and/or). */
export function thresholdsText(conditions: unknown, mode: unknown, lang: Lang): string {
  if (!Array.isArray(conditions)) return "";
  const parts = (conditions as Threshold[]).map((c) => {
    const n = (v: number) => (c.measure === "spend" ? yuan(v, lang) : int(v, lang));
    return lang === "zh"
      ? `${windowWords.zh[c.window]}${measureWords.zh[c.measure]} ${n(c.actual)} ≥ ${n(c.value)}`
      : `${measureWords.en[c.measure]} (${windowWords.en[c.window]}) ${n(c.actual)} ≥ ${n(c.value)}`;
  });
  const join = mode === "all" ? (lang === "zh" ? " 且 " : " and ") : lang === "zh" ? " 或 " : " or ";
  return parts.join(join);
}

type P = ReasonParams;
const templates: Record<ReasonCode, Record<Lang, (p: P, l: Lang) => string>> = {
  registered: { zh: () => "注册", en: () => "registered" },
  registered_trial: {
    zh: (p, l) => `注册：试用${named(p.tier, l)} ${p.days} 天`,
    en: (p, l) => `registered: trial of ${named(p.tier, l)} for ${p.days} days`,
  },
  order: {
    zh: (p, l) => `订单 ${p.orderId} ${yuan(p.amount, l)} × 每元 ${p.perYuan} 积分 × 等级 ${p.tierPct}% × 活动 ${p.campaignPct}%${Number(p.planPct) > 100 ? `（付费会员卡 ${p.planPct}%，取较大者）` : ""}`,
    en: (p, l) => `order ${p.orderId} ${yuan(p.amount, l)} × ${p.perYuan}/yuan × tier ${p.tierPct}% × campaign ${p.campaignPct}%${Number(p.planPct) > 100 ? ` (card ${p.planPct}%: the larger applies)` : ""}`,
  },
  order_growth: {
    zh: (p, l) => `订单 ${p.orderId} ${yuan(p.amount, l)} × 每元 ${p.perYuan} 成长值`,
    en: (p, l) => `order ${p.orderId} ${yuan(p.amount, l)} × ${p.perYuan}/yuan`,
  },
  campaign_bonus: { zh: (p, l) => `活动「${named(p.name, l)}」奖励积分`, en: (p, l) => `campaign ${named(p.name, l)}: bonus` },
  refund: {
    zh: (p, l) => `订单 ${p.orderId} 退款 ${yuan(p.amount, l)}（订单 ${yuan(p.orderAmount, l)}）`,
    en: (p, l) => `refund of order ${p.orderId}: ${yuan(p.amount, l)} of ${yuan(p.orderAmount, l)}`,
  },
  refund_growth: { zh: (p) => `订单 ${p.orderId} 退款`, en: (p) => `refund of order ${p.orderId}` },
  refund_return: {
    zh: (p, l) =>
      `订单 ${p.orderId} 退款（${yuan(p.amount, l)} / ${yuan(p.orderAmount, l)}）：结账时使用的 ${int(p.given, l)} 积分退回原批次` +
      (Number(p.forfeited) ? `；${int(p.forfeited, l)} 积分因批次已过期未退回` : ""),
    en: (p, l) =>
      `refund of order ${p.orderId} (${yuan(p.amount, l)} of ${yuan(p.orderAmount, l)}): ${p.given} points spent at checkout given back to their lots` +
      (Number(p.forfeited) ? `; ${p.forfeited} not returned: their lots have expired` : ""),
  },
  checkin: {
    zh: (p) => (p.streak ? `签到（连续 ${p.streak} 天）` : "签到"),
    en: (p) => (p.streak ? `check-in (streak ${p.streak})` : "check-in"),
  },
  review: { zh: () => "发表评价", en: () => "review" },
  share: { zh: () => "分享内容", en: () => "share" },
  profile_completed: { zh: () => "完善资料", en: () => "profile completed" },
  referral: { zh: (p) => `邀请会员 ${p.referee}`, en: (p) => `referral of ${p.referee}` },
  referral_order_referrer: { zh: (p) => `邀请的会员 ${p.referee} 首单奖励`, en: (p) => `referred member ${p.referee}'s first order` },
  referral_order_referee: { zh: (p) => `受邀首单奖励（邀请人 ${p.referrer}）`, en: (p) => `first order as referred by ${p.referrer}` },
  upgraded: {
    zh: (p, l) => `升级：${thresholdsText(p.conditions, p.mode, l)}`,
    en: (p, l) => `upgraded: ${thresholdsText(p.conditions, p.mode, l)}`,
  },
  trial_ended: { zh: () => "试用期结束，期间没有订单", en: () => "trial ended without an order" },
  inactive: { zh: (p) => `连续 ${p.months} 个月没有付费订单`, en: (p) => `no paid order for ${p.months} months` },
  requalify_failed: {
    zh: (p, l) => `保级未达标：${thresholdsText(p.conditions, p.mode, l)}`,
    en: (p, l) => `re-qualification: ${thresholdsText(p.conditions, p.mode, l)} not met`,
  },
  requalified: { zh: () => "保级达标", en: () => "re-qualified" },
  automation_bonus: { zh: (p, l) => `自动化「${named(p.name, l)}」：奖励积分`, en: (p, l) => `automation ${named(p.name, l)}: bonus points` },
  expired: {
    zh: (p) =>
      `积分过期：${p.source ? `${sourceText(String(p.source), "zh")}获得的积分` : ""}` +
      (p.note === "late" ? "（批次过期时被结账占用或之后由退款退回）" : p.note === "held" ? `（${p.kept} 积分被未完成的结账占用，结账结束前保留）` : ""),
    en: (p) =>
      `expired${p.source ? `: points from ${sourceText(String(p.source), "en")}` : ""}` +
      (p.note === "late"
        ? " (left in the lot past its expiry: held by a checkout then, or given back by a refund since)"
        : p.note === "held"
          ? ` (${p.kept} held by an open checkout are kept until it closes)`
          : ""),
  },
  checkout: {
    zh: (p, l) => `结账抵扣：订单 ${p.orderId}` + (Number(p.expiredHeld) ? `（其中 ${int(p.expiredHeld, l)} 积分来自占用期间过期的批次）` : ""),
    en: (p) => `checkout: order ${p.orderId}` + (Number(p.expiredHeld) ? ` (${p.expiredHeld} of them from lots that expired while held)` : ""),
  },
  mall_order: { zh: (p, l) => `积分商城兑换：${p.quantity} × ${named(p.item, l)}`, en: (p, l) => `points mall: ${p.quantity} × ${named(p.item, l)}` },
  mall_cancel: {
    zh: (p, l) => `积分商城订单 ${p.orderId} 已取消` + (Number(p.lost) ? `（${int(p.lost, l)} 积分因批次已过期未退回）` : ""),
    en: (p) => `points mall: order ${p.orderId} cancelled` + (Number(p.lost) ? ` (${p.lost} points not returned: their lots expired since)` : ""),
  },
  redemption: { zh: (p) => `积分兑换：${p.text}`, en: (p) => `redemption: ${p.text}` },
  manual: { zh: (p) => `人工调整：${p.text}（${p.by === "API" ? "接口" : p.by}）`, en: (p) => `manual: ${p.text} (${p.by})` },
  first_order_upgrade: {
    zh: (p, l) => `注册 ${p.days} 天内完成首笔订单，升级为${named(p.tier, l)}`,
    en: (p, l) => `first paid order within ${p.days} days of registering: upgraded to ${named(p.tier, l)}`,
  },
  registered_first_order: {
    zh: (p, l) => `注册即享${named(p.tier, l)}权益，${p.days} 天内首笔订单升级${named(p.upgradeTo, l)}`,
    en: (p, l) => `registered as ${named(p.tier, l)}; a first paid order within ${p.days} days upgrades to ${named(p.upgradeTo, l)}`,
  },
};

/** Suffixes the batch adds when points pay off or leave a debt. */
function suffix(p: P, lang: Lang): string {
  let s = "";
  if (Number(p.debtPaid)) s += lang === "zh" ? `（其中 ${p.debtPaid} 积分抵还此前退款的欠分）` : ` (${p.debtPaid} paid off an earlier refund's debt)`;
  if (Number(p.debtKept))
    s += lang === "zh" ? `（${p.debtKept} 积分已被使用，记为欠分，由之后获得的积分抵还）` : ` (${p.debtKept} already spent: kept as a debt that later earnings pay off)`;
  return s;
}

export function isReasonCode(v: unknown): v is ReasonCode {
  return typeof v === "string" && (reasonCodes as readonly string[]).includes(v);
}

/** The reason's text in the language, or null for an unknown code. */
export function renderReason(code: string, params: ReasonParams | null | undefined, lang: Lang): string | null {
  if (!isReasonCode(code)) return null;
  const p = params ?? {};
  return templates[code][lang](p, lang) + suffix(p, lang);
}

import type { Lang } from "./catalogue";

/**
 * A ledger row's `source` (its once-only key: `ev:<event>:order`, `checkin:<member>:<date>`,
 * `auto:<code>:<member>:on:2026-10-22:0`, …) in words for a reader; the raw key stays for support.
 */
const words: Record<string, Record<Lang, string>> = {
  order: { zh: "订单", en: "order" },
  campaign: { zh: "活动奖励", en: "campaign bonus" },
  refund: { zh: "退款", en: "refund" },
  return: { zh: "退款退回", en: "refund give-back" },
  checkin: { zh: "签到", en: "check-in" },
  review: { zh: "评价", en: "review" },
  share: { zh: "分享", en: "share" },
  profileCompleted: { zh: "完善资料", en: "profile" },
  profile: { zh: "完善资料", en: "profile" },
  referral: { zh: "邀请", en: "referral" },
  tier: { zh: "等级变更", en: "tier change" },
  event: { zh: "事件", en: "event" },
  auto: { zh: "自动化", en: "automation" },
  redemption: { zh: "积分兑换", en: "redemption" },
  adjust: { zh: "人工调整", en: "manual adjustment" },
  "manual-tier": { zh: "人工调级", en: "manual tier change" },
  period: { zh: "每日任务", en: "daily job" },
  expire: { zh: "积分过期", en: "expiry" },
  hold: { zh: "结账", en: "checkout" },
  mall: { zh: "积分商城", en: "points mall" },
  "mall-cancel": { zh: "积分商城取消", en: "points mall cancel" },
  upgrade: { zh: "升级礼", en: "upgrade gift" },
  streak: { zh: "连续签到", en: "check-in streak" },
  firstOrder: { zh: "首单升级", en: "first-order upgrade" },
  "referral-order": { zh: "邀请首单奖励", en: "referral first order" },
};

const occasionWords: Record<string, Record<Lang, string>> = {
  registered: { zh: "注册时", en: "on registering" },
  upgraded: { zh: "升级时", en: "on upgrade" },
  on: { zh: "触发于", en: "on" },
  "idle-since": { zh: "未消费自", en: "idle since" },
  expiring: { zh: "积分将过期", en: "points expiring" },
  birthday: { zh: "生日", en: "birthday" },
  "card-ends": { zh: "会员卡到期", en: "card ends" },
};

/** An automation firing's occasion (`registered`, `upgraded:gold:2026-10-22`, `birthday:2027`, …) in words, its codes and dates kept. */
export function occasionText(occasion: string, lang: Lang): string {
  const [head, ...rest] = occasion.split(":");
  const w = occasionWords[head]?.[lang];
  return w ? [w, ...rest].join(" ") : occasion;
}

const dateRe = /^\d{4}-\d{2}-\d{2}$/;

export function sourceText(source: string, lang: Lang): string {
  const parts = source.split(":");
  const w = (k: string) => words[k]?.[lang];
  const head = parts[0];
  if (head === "ev") {
    const kind = parts[2];
    return w(kind) ?? w("event")!;
  }
  if (head === "auto") {
    // auto:<automation>:<member>:<occasion…>:<action>
    const occ = parts[3];
    const date = parts.slice(4).find((x) => dateRe.test(x));
    const o = occ ? occasionWords[occ]?.[lang] : undefined;
    return [w("auto"), o, date].filter(Boolean).join(lang === "zh" ? " · " : " · ");
  }
  if (head === "checkin" || head === "period") {
    const date = parts.find((x) => dateRe.test(x));
    return [w(head), date].filter(Boolean).join(" · ");
  }
  if (head === "expire") {
    const date = parts.find((x) => dateRe.test(x));
    return [w(head), date].filter(Boolean).join(" · ");
  }
  return w(head) ?? (lang === "zh" ? "其他" : "other");
}

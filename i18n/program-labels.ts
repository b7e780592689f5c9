import type { AppLocale } from "./config";

/**
 * A program field's path (`tiers.4.thresholds.0.value`) as the label an operator knows it by
 * ("金卡 · 门槛"): list items by their name in the reader's language (from the program being
 * checked, which may be half valid), fields by their label in the editors.
 */
type Labels = Record<string, string>;

const zh: Labels = {
  tiers: "等级", rights: "权益", matrix: "权益矩阵", campaigns: "活动", automations: "自动化",
  code: "编码", "name.zh": "中文名", "name.en": "英文名", zh: "中文名", en: "英文名", color: "颜色",
  thresholds: "门槛", thresholdMode: "门槛方式", pointsMultiplierPct: "积分倍率", retention: "保级规则", months: "月数",
  measure: "门槛指标", window: "统计周期",
  kind: "类型", cadence: "发放周期", group: "分组", unitCost: "单位成本", faceValue: "面值", validityDays: "有效天数",
  coupon: "券", amount: "金额", minSpend: "使用门槛", percent: "折扣", maxDiscount: "最高优惠",
  tierCode: "等级", rightCode: "权益", value: "内容", quantity: "数量",
  points: "积分", growth: "成长值", perYuan: "每元获得", checkIn: "签到", streakDays: "连续签到天数", streakRightCode: "连签奖励",
  review: "评价", share: "分享", shareDailyCap: "每日分享上限", profileCompleted: "完善资料", referral: "邀请",
  dailyCap: "每日上限", expiry: "有效期", pointValueCentiFen: "积分价值", allowPointsPlusCash: "积分加现金",
  pointsAsCash: "积分抵现", maxShare: "最高抵扣比例", minPoints: "起用积分", step: "使用步长",
  schedule: "时间", from: "开始日期", to: "结束日期", day: "日期", weekday: "星期", targetTiers: "适用等级", effect: "效果",
  pct: "比例", enabled: "启用", trigger: "触发条件", days: "天数", actions: "动作", template: "消息模板", cooldownDays: "冷却天数",
  lifecycle: "生命周期", newDays: "新会员天数", dormantDays: "沉睡天数", lostDays: "流失天数",
  costs: "运营成本", toolFen: "工具费用", labourFen: "人力费用", otherFen: "其他费用",
  wallet: "储值", topUpBonuses: "充值赠送", minAmount: "充值门槛", bonus: "赠送金额",
  timeZone: "时区", trial: "试用等级", tierMoves: "会员去向",
  referralOrder: "邀请好友首单奖励", referrer: "邀请人得", referee: "受邀人得", monthlyCapPerReferrer: "每位邀请人每月最多奖励次数",
  // values of the program's enums, as the audit log shows them
  spend: "消费金额", orders: "订单数", lifetime: "累计", rolling12m: "近 12 个月", calendarYear: "自然年",
  none: "无", inactivity: "不活跃降级", requalify: "定期重新评定", any: "满足任一", all: "全部满足",
  always: "长期", upgrade: "升级时", monthly: "每月", birthday: "生日", once: "一次",
  shipping: "免邮", range: "日期范围", monthlyDay: "每月某日", birthdayMonth: "生日月",
  pointsMultiplier: "积分倍数", bonusPoints: "赠送积分", extraDiscount: "额外折扣", grantRight: "发放权益", message: "发送消息",
  registered: "注册", tierUpgraded: "升级", birthdayInDays: "生日前", noOrderForDays: "未下单", pointsExpiringInDays: "积分将过期",
  rollingMonths: "滚动月数", endOfNextYear: "次年年底", never: "永不过期",
};
const en: Labels = {
  tiers: "Tier", rights: "Right", matrix: "Rights matrix", campaigns: "Campaign", automations: "Automation",
  code: "code", "name.zh": "Chinese name", "name.en": "English name", zh: "Chinese name", en: "English name", color: "colour",
  thresholds: "threshold", thresholdMode: "threshold mode", pointsMultiplierPct: "points multiplier", retention: "retention", months: "months",
  measure: "measure", window: "window",
  kind: "kind", cadence: "cadence", group: "group", unitCost: "unit cost", faceValue: "face value", validityDays: "validity days",
  coupon: "coupon", amount: "amount", minSpend: "minimum spend", percent: "discount", maxDiscount: "maximum discount",
  tierCode: "tier", rightCode: "right", value: "value", quantity: "quantity",
  points: "Points", growth: "Growth", perYuan: "per yuan", checkIn: "check-in", streakDays: "streak days", streakRightCode: "streak reward",
  review: "review", share: "share", shareDailyCap: "daily share cap", profileCompleted: "profile completed", referral: "referral",
  dailyCap: "daily cap", expiry: "expiry", pointValueCentiFen: "point value", allowPointsPlusCash: "points plus cash",
  pointsAsCash: "points as cash", maxShare: "largest share", minPoints: "minimum points", step: "step",
  schedule: "schedule", from: "start date", to: "end date", day: "day", weekday: "weekday", targetTiers: "tiers", effect: "effect",
  pct: "percentage", enabled: "enabled", trigger: "trigger", days: "days", actions: "action", template: "message template", cooldownDays: "cooldown days",
  lifecycle: "Lifecycle", newDays: "new-member days", dormantDays: "dormant days", lostDays: "lost days",
  costs: "Operating costs", toolFen: "tools", labourFen: "labour", otherFen: "other",
  wallet: "Stored value", topUpBonuses: "top-up bonus", minAmount: "top-up from", bonus: "bonus",
  timeZone: "Time zone", trial: "Trial tier", tierMoves: "member moves",
  referralOrder: "referral first-order reward", referrer: "referrer earns", referee: "referred member earns", monthlyCapPerReferrer: "rewards per referrer per month",
  spend: "spend", orders: "orders", lifetime: "lifetime", rolling12m: "last 12 months", calendarYear: "calendar year",
  none: "none", inactivity: "down after inactivity", requalify: "requalify", any: "any", all: "all",
  always: "always", upgrade: "on upgrade", monthly: "monthly", birthday: "birthday", once: "once",
  shipping: "free shipping", range: "date range", monthlyDay: "day of month", birthdayMonth: "birthday month",
  pointsMultiplier: "points multiplier", bonusPoints: "bonus points", extraDiscount: "extra discount", grantRight: "grant a right", message: "message",
  registered: "registered", tierUpgraded: "upgraded", birthdayInDays: "before birthday", noOrderForDays: "no order for", pointsExpiringInDays: "points expiring",
  rollingMonths: "rolling months", endOfNextYear: "end of next year", never: "never",
};

/** One field name's label ("perYuan" → "每元获得"), the name itself when it has none. */
export function fieldWord(segment: string, locale: AppLocale): string {
  return (locale === "zh-CN" ? zh : en)[segment] ?? segment;
}

type Named = { code?: unknown; name?: { zh?: unknown; en?: unknown } };
type ProgramLike = { tiers?: unknown; rights?: unknown; campaigns?: unknown; automations?: unknown; matrix?: unknown };

const asList = (v: unknown): Named[] => (Array.isArray(v) ? (v as Named[]) : []);

function itemName(item: Named | undefined, locale: AppLocale): string | undefined {
  if (!item || typeof item !== "object") return undefined;
  const n = item.name && typeof item.name === "object" ? item.name : {};
  const [first, second] = locale === "zh-CN" ? [n.zh, n.en] : [n.en, n.zh];
  for (const v of [first, second, item.code]) if (typeof v === "string" && v.trim()) return v.trim();
  return undefined;
}

const ordinal = (list: string, i: number, locale: AppLocale, labels: Labels) =>
  locale === "zh-CN" ? `第 ${i + 1} 个${labels[list]}` : `${labels[list]} ${i + 1}`;

/** The label of `path` in a program (or a program-shaped input): "金卡 · 门槛", "积分 · 每元获得". */
export function programFieldLabel(path: string | readonly PropertyKey[], program: unknown, locale: AppLocale): string {
  const labels = locale === "zh-CN" ? zh : en;
  const segs = (typeof path === "string" ? (path ? path.split(".") : []) : path.map(String)).filter((s) => s !== "program");
  const p = (program && typeof program === "object" ? program : {}) as ProgramLike;
  const parts: string[] = [];
  let i = 0;
  const head = segs[0];
  if (head && ["tiers", "rights", "campaigns", "automations"].includes(head) && /^\d+$/.test(segs[1] ?? "")) {
    const idx = Number(segs[1]);
    parts.push(itemName(asList(p[head as keyof ProgramLike])[idx], locale) ?? ordinal(head, idx, locale, labels));
    i = 2;
  } else if (head === "matrix" && /^\d+$/.test(segs[1] ?? "")) {
    const idx = Number(segs[1]);
    const cell = asList(p.matrix)[idx] as { tierCode?: unknown; rightCode?: unknown } | undefined;
    const tier = asList(p.tiers).find((t) => t.code === cell?.tierCode);
    const right = asList(p.rights).find((r) => r.code === cell?.rightCode);
    const t = itemName(tier, locale) ?? (typeof cell?.tierCode === "string" ? cell.tierCode : undefined);
    const r = itemName(right, locale) ?? (typeof cell?.rightCode === "string" ? cell.rightCode : undefined);
    parts.push(t && r ? `${t} · ${r}` : ordinal("matrix", idx, locale, labels));
    i = 2;
  }
  for (; i < segs.length; i++) {
    const s = segs[i];
    if (/^\d+$/.test(s)) continue; // an item inside a field (a threshold, an action): the field names it
    if (s === "name" && (segs[i + 1] === "zh" || segs[i + 1] === "en")) {
      parts.push(labels[`name.${segs[++i]}`]);
      continue;
    }
    // A threshold's or an effect's value is the field the operator sees as "threshold" or "effect".
    if (s === "value" && segs[i - 2] === "thresholds") continue;
    parts.push(labels[s] ?? s);
  }
  return parts.join(" · ");
}

import { z } from "zod";
import type { AppLocale } from "./config";

/**
 * Validation issues in the reader's language. zod's issues keep their machine-readable `code`,
 * `path` and English `message` (the API contract's); this renders them for a person: our own
 * wording for the issues our schemas raise (a custom issue names its reason in `params.reason`),
 * zod 4's zh-CN locale for the rest. Pure, so pages, server actions and API answers share it.
 */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: string;
  input?: unknown;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: string;
  values?: readonly unknown[];
  params?: Record<string, unknown>;
}

/** The `params.reason` of the custom issues our schemas raise, with what each message needs. */
export type IssueReason =
  | "duplicateCode"
  | "entryTierThresholds"
  | "tierNeedsThreshold"
  | "thresholdAboveBelow"
  | "unknownTier"
  | "unknownRight"
  | "duplicateCell"
  | "duplicateTier"
  | "endBeforeStart"
  | "sameTopUpFloor"
  | "lostAfterDormant"
  | "timeZone"
  | "unknownVariable"
  | "unsafeText";

const num = (n: unknown, locale: AppLocale) => (typeof n === "number" || typeof n === "bigint" ? Number(n).toLocaleString(locale) : String(n));
const str = (v: unknown) => String(v ?? "");

/** A name in the reader's language: `{ zh, en }` params fall back to each other, then to the code. */
function nameIn(locale: AppLocale, zh: unknown, en: unknown, code: unknown) {
  const pick = locale === "zh-CN" ? (zh || en) : (en || zh);
  return str(pick || code);
}

const reasons: Record<IssueReason, Record<AppLocale, (p: Record<string, unknown>, l: AppLocale) => string>> = {
  duplicateCode: { "zh-CN": (p) => `编码「${str(p.code)}」重复：每项的编码须各不相同`, en: (p) => `the code "${str(p.code)}" is used twice: each must be unique` },
  entryTierThresholds: { "zh-CN": () => "入门等级不设门槛：所有会员都属于它", en: () => "the entry tier has no thresholds: every member qualifies" },
  tierNeedsThreshold: { "zh-CN": () => "入门等级以上的等级至少需要一个门槛", en: () => "a tier above the entry tier needs at least one threshold" },
  thresholdAboveBelow: {
    "zh-CN": (p, l) => `须大于下一级「${nameIn(l, p.belowZh, p.belowEn, p.belowCode)}」的同类门槛 ${num(p.below, l)}`,
    en: (p, l) => `must be greater than ${num(p.below, l)}, the same threshold of the tier below (${nameIn(l, p.belowZh, p.belowEn, p.belowCode)})`,
  },
  unknownTier: { "zh-CN": (p) => `没有编码为「${str(p.code)}」的等级`, en: (p) => `there is no tier with the code "${str(p.code)}"` },
  unknownRight: { "zh-CN": (p) => `没有编码为「${str(p.code)}」的权益`, en: (p) => `there is no right with the code "${str(p.code)}"` },
  duplicateCell: { "zh-CN": () => "同一等级和权益只能有一个格子", en: () => "one cell per tier and right" },
  duplicateTier: { "zh-CN": (p) => `等级「${str(p.code)}」选了两次`, en: (p) => `the tier "${str(p.code)}" is chosen twice` },
  endBeforeStart: { "zh-CN": () => "结束日期不能早于开始日期", en: () => "must not be before the start date" },
  sameTopUpFloor: { "zh-CN": (p, l) => `两条规则的充值门槛都是 ¥${num(Number(p.amount) / 100, l)}`, en: (p, l) => `two rules start at ¥${num(Number(p.amount) / 100, l)}` },
  lostAfterDormant: { "zh-CN": () => "须大于沉睡天数", en: () => "must be greater than the dormant day count" },
  timeZone: { "zh-CN": () => "须为 IANA 时区，如 Asia/Shanghai", en: () => "an IANA time zone such as Asia/Shanghai" },
  unknownVariable: { "zh-CN": (p) => `没有变量 {${str(p.name)}}；可用的变量：${str(p.allowed)}`, en: (p) => `unknown variable {${str(p.name)}}; use ${str(p.allowed)}` },
  unsafeText: { "zh-CN": () => "不能含有 NUL 字符或不成对的代理字符", en: () => "must not contain a NUL character or an unpaired UTF-16 surrogate" },
};

const CODE_PATTERN = "^[a-z][a-z0-9_-]{0,39}$";

/** What zod received, from the issue's input when it kept it, else from its default English message. */
function received(issue: IssueLike): string {
  if ("input" in issue) {
    const v = issue.input;
    if (v === undefined) return "undefined";
    if (v === null) return "null";
    if (typeof v === "number" && Number.isNaN(v)) return "NaN";
    return typeof v;
  }
  return /received (\w+)/.exec(issue.message)?.[1] ?? "unknown";
}

const zhCN = z.locales.zhCN().localeError as unknown as (issue: IssueLike) => string | { message: string } | undefined;

function zodZh(issue: IssueLike): string {
  const r = zhCN(issue);
  return typeof r === "string" ? r : (r?.message ?? "无效输入");
}

/** The issue's message in `locale`, without the field's name (see `fieldLabel`). */
export function issueText(issue: IssueLike, locale: AppLocale): string {
  const zh = locale === "zh-CN";
  const reason = issue.params?.reason as IssueReason | undefined;
  if (issue.code === "custom" && reason && reason in reasons) return reasons[reason][locale](issue.params ?? {}, locale);
  if (issue.code === "custom" && issue.message.startsWith("must not contain a NUL")) return reasons.unsafeText[locale]({}, locale);
  // A custom issue with no reason in the table keeps its own words (they say why), not zod's generic "无效输入".
  if (issue.code === "custom" && issue.message) return issue.message;
  const min = issue.minimum;
  const max = issue.maximum;
  switch (issue.code) {
    case "invalid_type": {
      const got = received(issue);
      const missing = got === "undefined" || got === "null";
      if (issue.expected === "number" || issue.expected === "int")
        return missing ? (zh ? "请填写数字" : "enter a number") : zh ? "须为数字（如 50），不能是文字" : "must be a number (such as 50), not text";
      if (missing) return zh ? "此项必填" : "required";
      if (issue.expected === "string") return zh ? "须为文字" : "must be text";
      if (issue.expected === "boolean") return zh ? "须为是或否" : "must be true or false";
      if (issue.expected === "array") return zh ? "须为列表" : "must be a list";
      if (issue.expected === "object") return zh ? "须为对象" : "must be an object";
      return zh ? zodZh(issue) : issue.message;
    }
    case "too_small":
      if (issue.origin === "string")
        return Number(min) <= 1 ? (zh ? "不能为空" : "must not be empty") : zh ? `至少 ${num(min, locale)} 个字符` : `at least ${num(min, locale)} characters`;
      if (issue.origin === "array") return zh ? `至少 ${num(min, locale)} 项` : `at least ${num(min, locale)} items`;
      if (issue.origin === "number" || issue.origin === "bigint")
        return issue.inclusive ? (zh ? `不能小于 ${num(min, locale)}` : `must be at least ${num(min, locale)}`) : zh ? `须大于 ${num(min, locale)}` : `must be greater than ${num(min, locale)}`;
      return zh ? zodZh(issue) : issue.message;
    case "too_big":
      if (issue.origin === "string") return zh ? `最多 ${num(max, locale)} 个字符` : `at most ${num(max, locale)} characters`;
      if (issue.origin === "array") return zh ? `最多 ${num(max, locale)} 项` : `at most ${num(max, locale)} items`;
      if (issue.origin === "number" || issue.origin === "bigint")
        return issue.inclusive ? (zh ? `不能大于 ${num(max, locale)}` : `must be at most ${num(max, locale)}`) : zh ? `须小于 ${num(max, locale)}` : `must be less than ${num(max, locale)}`;
      return zh ? zodZh(issue) : issue.message;
    case "invalid_format":
      if (issue.format === "regex" && issue.pattern === new RegExp(CODE_PATTERN).toString())
        return zh ? "只能用小写字母、数字、_ 或 -，以字母开头，最多 40 个字符" : "lowercase letters, digits, _ or -, starting with a letter (at most 40)";
      if (issue.format === "regex" && issue.pattern?.includes("#[0-9a-fA-F]{6}")) return zh ? "请输入 #RRGGBB 形式的颜色" : "a colour like #C0C0C0";
      if (issue.format === "date") return zh ? "须为日期，如 2026-12-08" : "must be a date such as 2026-12-08";
      if (issue.format === "email") return zh ? "请输入有效的邮箱地址" : "enter a valid email address";
      return zh ? zodZh(issue) : issue.message;
    case "invalid_value":
    case "invalid_union":
      return zh ? "请选择一个有效选项" : "choose one of the options";
    default:
      return zh ? zodZh(issue) : issue.message;
  }
}

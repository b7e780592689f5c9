import type { AppLocale } from "@/i18n/config";
import { fieldWord } from "@/i18n/program-labels";

/**
 * A program save as an operator reads it: what changed, in words, grouped by section, each item by
 * its name ("金卡会员 · 9折券 数量 1 → 2"), never by an index. Works on the stored JSON of an audit
 * row's before and after (any shape: a field it does not know is shown by its name).
 */
export interface ChangeGroup {
  /** The section: 等级, 权益, 权益矩阵, 积分, … */
  section: string;
  lines: string[];
}

/** JSON with object keys sorted, so key order (jsonb reorders keys) never reads as a change. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object" && v !== null)
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "undefined";
}

type Obj = Record<string, unknown>;
type Named = Obj & { code?: string; name?: { zh?: string; en?: string } };
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): Named[] => (Array.isArray(v) ? v.filter(isObj) : []);

const MONEY = new Set(["unitCost", "faceValue", "amount", "minSpend", "maxDiscount", "toolFen", "labourFen", "otherFen", "minAmount", "bonus"]);

const words = {
  "zh-CN": { none: "无", yes: "是", no: "否", added: "新增", removed: "删除", order: "顺序", sep: "、", colon: "：", arrow: " → ", quantity: "数量" },
  en: { none: "none", yes: "yes", no: "no", added: "added", removed: "removed", order: "order", sep: ", ", colon: ": ", arrow: " → ", quantity: "quantity" },
};

function nameOf(item: Named | undefined, locale: AppLocale, fallback: string): string {
  const n = item?.name;
  const v = locale === "zh-CN" ? (n?.zh || n?.en) : (n?.en || n?.zh);
  return v || item?.code || fallback;
}

/** A value in words: money in yuan with two decimals, numbers grouped, nested objects as label: value. */
function show(v: unknown, key: string, locale: AppLocale): string {
  const w = words[locale];
  if (v === undefined || v === null) return w.none;
  if (typeof v === "boolean") return v ? w.yes : w.no;
  if (typeof v === "number") return MONEY.has(key) ? `¥${(v / 100).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : v.toLocaleString(locale);
  if (typeof v === "string") return fieldWord(v, locale) === v ? v : fieldWord(v, locale);
  if (Array.isArray(v)) return v.length ? v.map((x) => show(x, key, locale)).join(w.sep) : w.none;
  if (isObj(v)) {
    // A threshold reads "成长值 · 累计 ≥ 5,000".
    if ("measure" in v && "value" in v) return `${fieldWord(String(v.measure), locale)} · ${fieldWord(String(v.window), locale)} ≥ ${show(v.value, "value", locale)}`;
    return Object.entries(v)
      .map(([k, x]) => (k === "kind" || k === "type" ? fieldWord(String(x), locale) : `${fieldWord(k, locale)} ${show(x, k, locale)}`))
      .join(w.sep);
  }
  return String(v);
}

/** Leaf differences between two JSON objects, as [label path, before, after, last key]; lists compared whole. */
function diffFields(before: unknown, after: unknown, locale: AppLocale, path: string[] = []): [string, unknown, unknown, string][] {
  if (canonical(before) === canonical(after)) return [];
  if (isObj(before) && isObj(after) && !("measure" in after)) {
    // A union member that changed kind is one change ("保级规则 不活跃 … → 重新评定 …"), not one per field.
    if ("kind" in after && before.kind !== after.kind) return [[path.map((p) => fieldWord(p, locale)).join(" · "), before, after, path.at(-1) ?? ""]];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffFields(before[k], after[k], locale, [...path, k]));
  }
  const key = path.at(-1) ?? "";
  const label = path[0] === "name" && path.length === 2 ? fieldWord(`name.${path[1]}`, locale) : path.map((p) => fieldWord(p, locale)).join(" · ");
  return [[label, before, after, key]];
}

function line(subject: string, label: string, b: unknown, a: unknown, key: string, locale: AppLocale) {
  const w = words[locale];
  return `${[subject, label].filter(Boolean).join(" · ")} ${show(b, key, locale)}${w.arrow}${show(a, key, locale)}`;
}

/** A list of named items (tiers, rights, campaigns, automations) matched by code. */
function describeList(section: string, before: unknown, after: unknown, locale: AppLocale): string[] {
  const w = words[locale];
  const b = list(before);
  const a = list(after);
  const out: string[] = [];
  const kind = fieldWord(section, locale);
  for (const item of a) {
    const old = b.find((x) => x.code === item.code);
    const name = nameOf(item, locale, String(item.code));
    if (!old) out.push(`${w.added}${locale === "zh-CN" ? "" : " "}${kind}${locale === "zh-CN" ? "「" : " “"}${name}${locale === "zh-CN" ? "」" : "”"}`);
    else for (const [label, x, y, key] of diffFields(old, item, locale)) out.push(line(name, label, x, y, key, locale));
  }
  for (const item of b)
    if (!a.some((x) => x.code === item.code))
      out.push(`${w.removed}${locale === "zh-CN" ? "" : " "}${kind}${locale === "zh-CN" ? "「" : " “"}${nameOf(item, locale, String(item.code))}${locale === "zh-CN" ? "」" : "”"}`);
  const kept = (xs: Named[], other: Named[]) => xs.filter((x) => other.some((y) => y.code === x.code)).map((x) => x.code);
  const ob = kept(b, a);
  const oa = kept(a, b);
  if (canonical(ob) !== canonical(oa))
    out.push(`${kind} · ${w.order} ${ob.map((c) => nameOf(b.find((x) => x.code === c), locale, String(c))).join(w.sep)}${w.arrow}${oa.map((c) => nameOf(a.find((x) => x.code === c), locale, String(c))).join(w.sep)}`);
  return out;
}

/** Matrix cells matched by tier and right, named by the after program's (else the before's) names. */
function describeMatrix(before: Obj, after: Obj, locale: AppLocale): string[] {
  const w = words[locale];
  const key = (c: Obj) => `${String(c.tierCode)}/${String(c.rightCode)}`;
  const b = new Map(list(before.matrix).map((c) => [key(c), c]));
  const a = new Map(list(after.matrix).map((c) => [key(c), c]));
  const find = (field: "tiers" | "rights", code: unknown) => list(after[field]).find((x) => x.code === code) ?? list(before[field]).find((x) => x.code === code);
  const subject = (c: Obj) => `${nameOf(find("tiers", c.tierCode), locale, String(c.tierCode))} · ${nameOf(find("rights", c.rightCode), locale, String(c.rightCode))}`;
  const out: string[] = [];
  for (const [k, cell] of a) {
    const old = b.get(k);
    if (!old) out.push(`${subject(cell)} ${w.added}${w.colon}${w.quantity} ${show(cell.quantity, "quantity", locale)}`);
    else
      for (const [label, x, y, f] of diffFields(old, cell, locale))
        if (f !== "tierCode" && f !== "rightCode") out.push(line(subject(cell), label, x, y, f, locale));
  }
  for (const [k, cell] of b) if (!a.has(k)) out.push(`${subject(cell)} ${w.removed}`);
  return out;
}

const LISTS = ["tiers", "rights", "campaigns", "automations"] as const;

/** The changes from `before` to `after` (two programs' JSON), grouped by section, in the program's order. */
export function describeProgramChanges(before: unknown, after: unknown, locale: AppLocale): ChangeGroup[] {
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const groups: ChangeGroup[] = [];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    if (canonical(b[k]) === canonical(a[k])) continue;
    const section = fieldWord(k, locale);
    let lines: string[];
    if ((LISTS as readonly string[]).includes(k)) lines = describeList(k, b[k], a[k], locale);
    else if (k === "matrix") lines = describeMatrix(b, a, locale);
    else if (isObj(b[k]) && isObj(a[k])) lines = diffFields(b[k], a[k], locale).map(([label, x, y, f]) => line("", label, x, y, f, locale));
    else lines = [line("", "", b[k], a[k], k, locale)];
    if (lines.length) groups.push({ section, lines });
  }
  return groups;
}

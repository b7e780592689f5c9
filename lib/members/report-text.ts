import Papa from "papaparse";
import type { AppLocale } from "@/i18n/config";
import { csvLine } from "@/lib/csv/write";

/**
 * An import's rejected-rows report in the operator's language. The report is stored as written
 * (English header and reasons, which support reads); served to a zh-CN operator its header and the
 * reasons the row check gives (lib/csv/validate.ts) are in Chinese. A reason it does not know (the
 * engine's own) stays as it is.
 */
const fieldsZh: Record<string, string> = {
  memberId: "会员编号", orderId: "订单号", amount: "实付金额", paidAt: "支付时间", memberDiscount: "会员优惠",
  registeredAt: "注册时间", name: "姓名", phone: "手机号", birthday: "生日",
};
const f = (field: string) => fieldsZh[field] ?? field;

const reasonsZh: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^(\w+) is empty$/, (m) => `${f(m[1])}为空`],
  [/^(\w+) "(.*)" has spaces or commas, or is over 128 characters$/s, (m) => `${f(m[1])}「${m[2]}」含空格或逗号，或超过 128 个字符`],
  [/^(\w+) "(.*)" has spaces or commas$/s, (m) => `${f(m[1])}「${m[2]}」含空格或逗号`],
  [/^(\w+) "(.*)" is not an amount in yuan(?: \(e\.g\. 258\.00\))?$/s, (m) => `${f(m[1])}「${m[2]}」不是以元为单位的金额（如 258.00）`],
  [/^amount must be greater than 0$/, () => "实付金额须大于 0"],
  [/^(\w+) "(.*)" is not a date-time \(e\.g\. 2026-03-08 10:15\)$/s, (m) => `${f(m[1])}「${m[2]}」不是日期时间（如 2026-03-08 10:15）`],
  [/^(\w+) "(.*)" is not a date \(e\.g\. 1990-07-15\)$/s, (m) => `${f(m[1])}「${m[2]}」不是日期（如 1990-07-15）`],
  [/^name is over 60 characters$/, () => "姓名超过 60 个字符"],
  [/^phone "(.*)" is not a phone number$/s, (m) => `手机号「${m[1]}」不是电话号码`],
  [/^(\w+) must not contain a NUL character or an unpaired UTF-16 surrogate$/, (m) => `${f(m[1])}含有无法保存的字符（NUL 或不成对的代理字符）`],
  [/^already imported with different data$/, () => "此前已导入，但数据不同"],
  [/^the database refused this row$/, () => "数据库拒绝了这一行"],
];

export function reasonText(reason: string, locale: AppLocale): string {
  if (locale !== "zh-CN") return reason;
  for (const [re, text] of reasonsZh) {
    const m = reason.match(re);
    if (m) return text(m);
  }
  return reason;
}

/** The stored report (header `row,reason,<the file's columns>`) with its header and reasons in `locale`. */
export function localizeReport(csv: string, locale: AppLocale): string {
  if (locale !== "zh-CN") return csv;
  const rows = Papa.parse<string[]>(csv, { header: false, skipEmptyLines: "greedy" }).data;
  if (!rows.length) return csv;
  const [header, ...data] = rows;
  return [csvLine(["行号", "原因", ...header.slice(2)]), ...data.map((r) => csvLine([r[0], reasonText(r[1] ?? "", locale), ...r.slice(2)]))].join("");
}

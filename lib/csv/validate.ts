import { TZDate } from "@date-fns/tz";
import type { ImportKind } from "@/lib/schemas/members";
import { isUnsafeText, UNSAFE_TEXT_MESSAGE } from "@/lib/schemas/text";

export type RowResult = { ok: true; event: Record<string, unknown> } | { ok: false; reason: string };

/** Yuan as written in a spreadsheet ("¥1,234.50", "258") → fen; null when it is not money. */
export function parseYuan(raw: string): number | null {
  const s = raw.replace(/[¥￥,\s]/g, "").replace(/元$/, "");
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [int, frac = ""] = s.split(".");
  return Number(int) * 100 + Number(frac.padEnd(2, "0"));
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A date-time as spreadsheets write it ("2026-03-08 10:15", "2026/3/8 10:15:00", "2026-03-08",
 * or ISO 8601 with an offset) → ISO 8601 with the offset of `timeZone` when none is written.
 */
export function parseDateTime(raw: string, timeZone: string): string | null {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return Number.isNaN(Date.parse(s)) ? null : s;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h = "0", mi = "0", se = "0"] = m.slice(1);
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +se > 59) return null;
  const local = new TZDate(+y, +mo - 1, +d, +h, +mi, +se, timeZone);
  if (local.getDate() !== +d) return null; // 2026-02-30
  const off = -local.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${y}-${pad(+mo)}-${pad(+d)}T${pad(+h)}:${pad(+mi)}:${pad(+se)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

export function parseDate(raw: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(raw.trim());
  if (!m) return null;
  const iso = `${m[1]}-${pad(+m[2])}-${pad(+m[3])}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

const ID = /^[^\s,]{1,128}$/;

/**
 * Turns one mapped CSV row into the engine event it stands for, or says why it cannot. The event
 * id comes from the row's own key (`import-order-<orderId>`), so importing the file again is a
 * no-op: the engine answers `duplicate`.
 */
export function rowToEvent(kind: ImportKind, row: Record<string, string | undefined>, timeZone: string): RowResult {
  // The database refuses these in text and jsonb: the row goes to the report, not the whole batch.
  for (const [field, value] of Object.entries(row)) if (value && isUnsafeText(value)) return { ok: false, reason: `${field} ${UNSAFE_TEXT_MESSAGE}` };
  const v = (k: string) => (row[k] ?? "").trim();
  if (kind === "orders") {
    const orderId = v("orderId");
    if (!orderId) return { ok: false, reason: "orderId is empty" };
    if (!ID.test(orderId)) return { ok: false, reason: `orderId "${orderId}" has spaces or commas, or is over 128 characters` };
    const amount = parseYuan(v("amount"));
    if (amount === null) return { ok: false, reason: `amount "${v("amount")}" is not an amount in yuan (e.g. 258.00)` };
    if (amount <= 0) return { ok: false, reason: "amount must be greater than 0" };
    const paidAt = parseDateTime(v("paidAt"), timeZone);
    if (!paidAt) return { ok: false, reason: `paidAt "${v("paidAt")}" is not a date-time (e.g. 2026-03-08 10:15)` };
    const memberId = v("memberId") || null;
    if (memberId && !ID.test(memberId)) return { ok: false, reason: `memberId "${memberId}" has spaces or commas` };
    const data: Record<string, unknown> = { orderId, amount };
    if (v("memberDiscount")) {
      const disc = parseYuan(v("memberDiscount"));
      if (disc === null) return { ok: false, reason: `memberDiscount "${v("memberDiscount")}" is not an amount in yuan` };
      data.memberDiscount = disc;
    }
    return { ok: true, event: { id: `import-order-${orderId}`, type: "order.paid", occurredAt: paidAt, memberId, data } };
  }
  const memberId = v("memberId");
  if (!memberId) return { ok: false, reason: "memberId is empty" };
  if (!ID.test(memberId)) return { ok: false, reason: `memberId "${memberId}" has spaces or commas, or is over 128 characters` };
  const registeredAt = parseDateTime(v("registeredAt"), timeZone);
  if (!registeredAt) return { ok: false, reason: `registeredAt "${v("registeredAt")}" is not a date-time (e.g. 2026-03-08 10:15)` };
  const data: Record<string, unknown> = {};
  if (v("name")) {
    if (v("name").length > 60) return { ok: false, reason: "name is over 60 characters" };
    data.name = v("name");
  }
  if (v("phone")) {
    if (!/^\+?[0-9 -]{5,20}$/.test(v("phone"))) return { ok: false, reason: `phone "${v("phone")}" is not a phone number` };
    data.phone = v("phone");
  }
  if (v("birthday")) {
    const b = parseDate(v("birthday"));
    if (!b) return { ok: false, reason: `birthday "${v("birthday")}" is not a date (e.g. 1990-07-15)` };
    data.birthday = b;
  }
  return { ok: true, event: { id: `import-member-${memberId}`, type: "member.registered", occurredAt: registeredAt, memberId, data } };
}

/** Headers a file commonly uses for each field (zh and en), for the suggested mapping. */
const synonyms: Record<string, string[]> = {
  memberId: ["memberid", "member_id", "member id", "会员id", "会员编号", "会员号", "会员卡号"],
  orderId: ["orderid", "order_id", "order id", "订单号", "订单编号", "订单id"],
  amount: ["amount", "paid", "实付金额", "金额", "支付金额", "订单金额"],
  paidAt: ["paidat", "paid_at", "paid at", "支付时间", "下单时间", "时间"],
  memberDiscount: ["memberdiscount", "member_discount", "会员优惠", "会员折扣金额"],
  registeredAt: ["registeredat", "registered_at", "registered at", "注册时间", "入会时间"],
  name: ["name", "姓名", "会员姓名", "昵称"],
  phone: ["phone", "mobile", "手机号", "手机", "电话"],
  birthday: ["birthday", "生日", "出生日期"],
};

export function suggestMapping(fields: readonly string[], headers: string[]): Record<string, string> {
  const norm = (s: string) => s.trim().toLowerCase();
  const out: Record<string, string> = {};
  for (const f of fields) {
    const hit = headers.find((h) => (synonyms[f] ?? [f.toLowerCase()]).includes(norm(h)));
    if (hit) out[f] = hit;
  }
  return out;
}

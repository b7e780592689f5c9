import type { ReasonCode, ReasonParams, Threshold } from "./catalogue";

/**
 * Rows written before reason codes carry only the engine's English text. These are the patterns
 * the engine wrote; a text that matches none is shown as it is (marked as the original text).
 */
const fen = (s: string) => Math.round(Number(s.replace(/,/g, "")) * 100);
const cond = /^(growth|spend|orders)\((lifetime|rolling12m|calendarYear)\) (-?\d+) ≥ (\d+)$/;

function thresholds(text: string): { conditions: Threshold[]; mode: "all" | "any" } | null {
  const mode = text.includes(" and ") ? "all" : "any";
  const conditions: Threshold[] = [];
  for (const part of text.split(/ and | or /)) {
    const m = cond.exec(part.trim());
    if (!m) return null;
    conditions.push({ measure: m[1] as Threshold["measure"], window: m[2] as Threshold["window"], actual: Number(m[3]), value: Number(m[4]) });
  }
  return { conditions, mode };
}

type Parsed = { code: ReasonCode; params: ReasonParams };
type Rule = [RegExp, (m: RegExpExecArray) => Parsed | null];

const y = "¥([\\d,]+\\.\\d{2})";
const rules: Rule[] = [
  [/^registered$/, () => ({ code: "registered", params: {} })],
  [/^registered: trial of (.+) for (\d+) days$/, (m) => ({ code: "registered_trial", params: { tier: { zh: m[1], en: m[1] }, days: Number(m[2]) } })],
  [
    new RegExp(`^order (\\S+) ${y} × (\\d+)/yuan × tier (\\d+)% × campaign (\\d+)%$`),
    (m) => ({ code: "order", params: { orderId: m[1], amount: fen(m[2]), perYuan: Number(m[3]), tierPct: Number(m[4]), campaignPct: Number(m[5]) } }),
  ],
  [new RegExp(`^order (\\S+) ${y} × (\\d+)/yuan$`), (m) => ({ code: "order_growth", params: { orderId: m[1], amount: fen(m[2]), perYuan: Number(m[3]) } })],
  [/^campaign (.+): bonus$/, (m) => ({ code: "campaign_bonus", params: { name: { zh: m[1], en: m[1] } } })],
  [new RegExp(`^refund of order (\\S+): ${y} of ${y}$`), (m) => ({ code: "refund", params: { orderId: m[1], amount: fen(m[2]), orderAmount: fen(m[3]) } })],
  [
    new RegExp(`^refund of order (\\S+) \\(${y} of ${y}\\): (\\d+) points spent at checkout given back to their lots(?:; (\\d+) not returned: their lots have expired)?$`),
    (m) => ({ code: "refund_return", params: { orderId: m[1], amount: fen(m[2]), orderAmount: fen(m[3]), given: Number(m[4]), forfeited: Number(m[5] ?? 0) } }),
  ],
  [/^refund of order (\S+)$/, (m) => ({ code: "refund_growth", params: { orderId: m[1] } })],
  [/^check-in(?: \(streak (\d+)\))?$/, (m) => ({ code: "checkin", params: m[1] ? { streak: Number(m[1]) } : ({} as ReasonParams) })],
  [/^review$/, () => ({ code: "review", params: {} })],
  [/^share$/, () => ({ code: "share", params: {} })],
  [/^profile completed$/, () => ({ code: "profile_completed", params: {} })],
  [/^referral of (\S+)$/, (m) => ({ code: "referral", params: { referee: m[1] } })],
  [/^upgraded: (.+)$/, (m) => { const t = thresholds(m[1]); return t && { code: "upgraded", params: { ...t } }; }],
  [/^trial ended without an order$/, () => ({ code: "trial_ended", params: {} })],
  [/^no paid order for (\d+) months$/, (m) => ({ code: "inactive", params: { months: Number(m[1]) } })],
  [/^re-qualification: (.+) not met$/, (m) => { const t = thresholds(m[1]); return t && { code: "requalify_failed", params: { ...t } }; }],
  [/^re-qualified$/, () => ({ code: "requalified", params: {} })],
  [/^automation (.+): bonus points$/, (m) => ({ code: "automation_bonus", params: { name: { zh: m[1], en: m[1] } } })],
  [
    /^expired: points from (\S+)(?: \((left in the lot past its expiry)[^)]*\)| \((\d+) held by an open checkout are kept until it closes\))?$/,
    (m) => ({ code: "expired", params: { source: m[1], ...(m[2] ? { note: "late" } : m[3] ? { note: "held", kept: Number(m[3]) } : {}) } }),
  ],
  [/^checkout: order (\S+)(?: \((\d+) of them from lots that expired while held\))?$/, (m) => ({ code: "checkout", params: { orderId: m[1], expiredHeld: Number(m[2] ?? 0) } })],
  [/^points mall: order (\S+) cancelled(?: \((\d+) points not returned: their lots expired since\))?$/, (m) => ({ code: "mall_cancel", params: { orderId: m[1], lost: Number(m[2] ?? 0) } })],
  [/^points mall: (\d+) × (.+)$/, (m) => ({ code: "mall_order", params: { quantity: Number(m[1]), item: { zh: m[2], en: m[2] } } })],
];

const debtPaidRe = / \((\d+) paid off an earlier refund's debt\)$/;
const debtKeptRe = / \((\d+) already spent: kept as a debt that later earnings pay off\)$/;

/** The code and parameters of an old row's English text (`rule` tells an operator's text apart), or null. */
export function parseLegacyReason(text: string, rule: string | null = null): Parsed | null {
  let rest = text;
  const extra: ReasonParams = {};
  const paid = debtPaidRe.exec(rest);
  if (paid) {
    extra.debtPaid = Number(paid[1]);
    rest = rest.slice(0, paid.index);
  }
  const kept = debtKeptRe.exec(rest);
  if (kept) {
    extra.debtKept = Number(kept[1]);
    rest = rest.slice(0, kept.index);
  }
  if (rule === "redemption") return { code: "redemption", params: { text: rest, ...extra } };
  if (rule === "manual") {
    const i = rest.lastIndexOf(" — ");
    return { code: "manual", params: i >= 0 ? { text: rest.slice(0, i), by: rest.slice(i + 3), ...extra } : { text: rest, by: "", ...extra } };
  }
  for (const [re, make] of rules) {
    const m = re.exec(rest);
    if (!m) continue;
    const parsed = make(m);
    if (parsed) return { code: parsed.code, params: { ...parsed.params, ...extra } };
  }
  return null;
}

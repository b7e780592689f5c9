import type { ReactNode } from "react";
import { getLocale, getTranslations } from "next-intl/server";
import type { MemberDetail } from "@/lib/members/member-detail";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatInt, formatYuan, localName } from "./format";
import { ReasonAction } from "./reason-action";
import { ReasonText } from "./reason-text";
import { occasionText } from "@/lib/reasons/source";
import { WalletCard } from "./checkout-sections";

function Table({ caption, head, children, empty, testId }: { caption: string; head: ReactNode[]; children: ReactNode[]; empty: string; testId?: string }) {
  if (!children.length) return <p className="px-5 py-6 text-sm text-gray-500">{empty}</p>;
  return (
    // Long histories scroll inside their card, so the page stays one screen of sections.
    <div className="max-h-96 overflow-auto">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 border-b border-gray-100 bg-gray-50 text-xs text-gray-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-4 py-2 font-medium whitespace-nowrap first:pl-5">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">{children}</tbody>
      </table>
    </div>
  );
}
const td = "px-4 py-2 text-gray-700 first:pl-5 align-top";
const signed = (n: number, locale: string) => (n > 0 ? `+${formatInt(n, locale)}` : formatInt(n, locale));
const directionTone = { initial: "gray", up: "green", down: "red", manual: "amber", trial: "accent" } as const;
const rightTone = { held: "green", used: "gray", expired: "red", void: "gray" } as const;

/** The member's history, section by section; each list is newest first and capped at 50 rows. */
export async function MemberSections({ detail: d, timeZone: tz, canWrite }: { detail: MemberDetail; timeZone: string; canWrite: boolean }) {
  const t = await getTranslations("memberDetail");
  const tc = await getTranslations("checkout.coupon");
  const tr = await getTranslations("reasons");
  const couponText = (c: MemberDetail["rights"][number]["coupon"]) => {
    if (!c) return "—";
    if (c.type === "shipping") return tc("shipping");
    if (c.type === "amount") return c.minSpend ? tc("amount", { amount: formatYuan(c.amount!, locale), minSpend: formatYuan(c.minSpend, locale) }) : tc("amountNoThreshold", { amount: formatYuan(c.amount!, locale) });
    // 折 in Chinese (10% off = 9折), percent off in English.
    const value = locale === "en" ? String(c.percent) : String((100 - c.percent) / 10);
    return c.maxDiscount ? tc("percentCapped", { value, max: formatYuan(c.maxDiscount, locale) }) : tc("percent", { value });
  };
  const locale = await getLocale();
  const empty = t("empty");
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <Card aria-labelledby="tier-history-heading">
        <CardHeader id="tier-history-heading" title={t("history.heading")} />
        <ol className="space-y-3 px-5 py-4" data-testid="tier-history">
          {d.tierHistory.length === 0 ? <li className="text-sm text-gray-500">{empty}</li> : null}
          {d.tierHistory.map((h) => (
            <li key={h.id} className="flex gap-3 text-sm">
              <span className="w-28 shrink-0 text-xs text-gray-500">{formatDateTime(h.changedAt, tz)}</span>
              <div className="min-w-0">
                <p className="font-medium text-gray-900">
                  <Badge tone={directionTone[h.direction]}>{t(`history.${h.direction}`)}</Badge> {h.from ? `${localName(h.from, locale)} → ` : ""}
                  {localName(h.to, locale)}
                </p>
                <p className="mt-0.5 text-xs break-words text-gray-500">
                  <ReasonText view={h} originalLabel={tr("original")} />
                </p>
              </div>
            </li>
          ))}
        </ol>
      </Card>

      <Card aria-labelledby="lots-heading">
        <CardHeader id="lots-heading" title={t("lots.heading")} description={t("lots.description")} />
        <Table caption={t("lots.heading")} head={[t("lots.earned"), t("lots.expires"), t("lots.amount"), t("lots.remaining")]} empty={empty}>
          {d.lots.map((l) => (
            <tr key={l.id}>
              <td className={td}>{formatDateTime(l.earnedAt, tz, false)}</td>
              <td className={td}>{l.validThrough ?? "—"}</td>
              <td className={`${td} tabular-nums`}>{formatInt(l.amount, locale)}</td>
              <td className={`${td} tabular-nums`}>{formatInt(l.remaining, locale)}</td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card aria-labelledby="points-ledger-heading" className="xl:col-span-2">
        <CardHeader id="points-ledger-heading" title={t("ledger.points")} />
        <Table caption={t("ledger.points")} head={[t("ledger.when"), t("ledger.delta"), t("ledger.kind"), t("ledger.reason"), t("ledger.source")]} empty={empty} testId="points-ledger">
          {d.points.map((p) => (
            <tr key={p.id}>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(p.occurredAt, tz)}</td>
              <td className={`${td} tabular-nums font-medium ${p.delta >= 0 ? "text-emerald-700" : "text-red-600"}`}>{signed(p.delta, locale)}</td>
              <td className={td}>{t(`kinds.${p.kind}`)}</td>
              <td className={`${td} max-w-md break-words`}>
                <ReasonText view={p} originalLabel={tr("original")} />
              </td>
              <td className={`${td} text-xs text-gray-500`} title={p.source} data-source={p.source}>
                {p.sourceText}
              </td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card aria-labelledby="rights-heading" className="xl:col-span-2">
        <CardHeader id="rights-heading" title={t("rights.heading")} description={t("rights.counts", d.rightCounts)} />
        <Table caption={t("rights.heading")} head={[t("rights.right"), t("rights.code"), t("rights.takesOff"), t("rights.state"), t("rights.issued"), t("rights.expires"), ""]} empty={empty} testId="member-rights">
          {d.rights.map((r) => (
            <tr key={r.grantId}>
              <td className={td}>
                {localName(r.name, locale)}
                {r.value ? <span className="ml-1 text-xs text-gray-500">{r.value}</span> : null}
              </td>
              <td className={`${td} font-mono text-xs`} data-testid="redemption-code">
                {r.redemptionCode}
              </td>
              <td className={`${td} text-xs`}>{couponText(r.coupon)}</td>
              <td className={td}>
                <Badge tone={rightTone[r.state]}>{t(`rights.${r.state}`)}</Badge>
                {r.heldBy ? <span className="ml-1 text-xs text-amber-700">{t("rights.heldBy")}</span> : null}
              </td>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(r.issuedAt, tz, false)}</td>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(r.expiresAt, tz, false)}</td>
              <td className={td}>{canWrite && r.state === "held" && !r.heldBy ? <ReasonAction kind="void" memberId={d.member.memberId} grantId={r.grantId} /> : null}</td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card aria-labelledby="growth-ledger-heading">
        <CardHeader id="growth-ledger-heading" title={t("ledger.growth")} />
        <Table caption={t("ledger.growth")} head={[t("ledger.when"), t("ledger.delta"), t("ledger.reason")]} empty={empty} testId="growth-ledger">
          {d.growth.map((g) => (
            <tr key={g.id}>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(g.occurredAt, tz)}</td>
              <td className={`${td} tabular-nums font-medium`}>{signed(g.delta, locale)}</td>
              <td className={`${td} break-words`}>
                <ReasonText view={g} originalLabel={tr("original")} />
              </td>
            </tr>
          ))}
        </Table>
      </Card>

      <WalletCard detail={d} timeZone={tz} />

      <Card aria-labelledby="orders-heading">
        <CardHeader id="orders-heading" title={t("orders.heading")} />
        <Table caption={t("orders.heading")} head={[t("orders.order"), t("orders.paidAt"), t("orders.amount"), t("orders.refunded"), t("orders.points")]} empty={empty}>
          {d.orders.map((o) => (
            <tr key={o.orderId}>
              <td className={`${td} font-mono text-xs`}>{o.orderId}</td>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(o.paidAt, tz)}</td>
              <td className={`${td} tabular-nums`}>{formatYuan(o.amount, locale)}</td>
              <td className={`${td} tabular-nums`}>{o.refundedAmount ? formatYuan(o.refundedAmount, locale) : "—"}</td>
              <td className={`${td} tabular-nums`}>{formatInt(o.pointsEarned, locale)}</td>
            </tr>
          ))}
        </Table>
        {d.refunds.length ? (
          <div className="border-t border-gray-100">
            <h3 className="px-5 pt-3 text-sm font-medium text-gray-700">{t("orders.refunds")}</h3>
            <Table caption={t("orders.refunds")} head={[t("orders.order"), t("orders.refundedAt"), t("orders.amount")]} empty={empty}>
              {d.refunds.map((r) => (
                <tr key={r.eventId}>
                  <td className={`${td} font-mono text-xs`}>{r.orderId}</td>
                  <td className={td}>{formatDateTime(r.refundedAt, tz)}</td>
                  <td className={`${td} tabular-nums`}>{formatYuan(r.amount, locale)}</td>
                </tr>
              ))}
            </Table>
          </div>
        ) : null}
      </Card>

      <Card aria-labelledby="firings-heading">
        <CardHeader id="firings-heading" title={t("firings.heading")} />
        <Table caption={t("firings.heading")} head={[t("firings.automation"), t("firings.occasion"), t("firings.at")]} empty={empty}>
          {d.firings.map((f) => (
            <tr key={`${f.code}-${f.occasion}`}>
              <td className={td}>{localName(f.name, locale)}</td>
              <td className={`${td} text-xs text-gray-500`} title={f.occasion} data-occasion={f.occasion}>
                {occasionText(f.occasion, locale === "en" ? "en" : "zh")}
              </td>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(f.firedAt, tz)}</td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card aria-labelledby="audit-heading" className="xl:col-span-2">
        <CardHeader id="audit-heading" title={t("audit.heading")} description={t("audit.description")} />
        <Table caption={t("audit.heading")} head={[t("audit.at"), t("audit.actor"), t("audit.action"), t("audit.detail")]} empty={empty} testId="member-audit">
          {d.audit.map((a) => (
            <tr key={a.id}>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(a.at, tz)}</td>
              <td className={td}>{a.actor}</td>
              <td className={td}>{t.has(`audit.actions.${a.action.replace(/\./g, "_")}`) ? t(`audit.actions.${a.action.replace(/\./g, "_")}`) : a.action}</td>
              <td className={`${td} font-mono text-xs break-all text-gray-500`}>{a.after}</td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}

import { getLocale, getTranslations } from "next-intl/server";
import type { MemberDetail } from "@/lib/members/member-detail";
import { Card, CardHeader } from "@/components/ui/card";
import { ReasonAction } from "./reason-action";
import { formatDateTime, formatInt, formatYuan } from "./format";

const td = "px-4 py-2 text-gray-700 first:pl-5 align-top";
const signedYuan = (fen: number, locale: string) => (fen > 0 ? `+${formatYuan(fen, locale)}` : fen < 0 ? `−${formatYuan(-fen, locale)}` : formatYuan(0, locale));

/** The member at the till: open checkout holds, each releasable with a reason. */
export async function HoldsCard({ detail: d, timeZone: tz, canWrite }: { detail: MemberDetail; timeZone: string; canWrite: boolean }) {
  const t = await getTranslations("checkout");
  const locale = await getLocale();
  return (
    <Card aria-labelledby="holds-heading" data-testid="member-holds">
      <CardHeader id="holds-heading" title={t("holds.heading")} description={t("holds.description", { held: formatInt(d.checkout.heldPoints, locale), available: formatInt(d.checkout.availablePoints, locale) })} />
      {d.checkout.holds.length === 0 ? (
        <p className="px-5 py-6 text-sm text-gray-500">{t("holds.empty")}</p>
      ) : (
        <div className="overflow-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("holds.heading")}</caption>
            <thead className="border-b border-gray-100 bg-gray-50 text-xs text-gray-500">
              <tr>
                {[t("holds.order"), t("holds.points"), t("holds.coupons"), t("holds.wallet"), t("holds.payable"), t("holds.expires"), ""].map((h, i) => (
                  <th key={i} scope="col" className="px-4 py-2 font-medium whitespace-nowrap first:pl-5">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {d.checkout.holds.map((h) => (
                <tr key={h.id} data-testid={`hold-${h.id}`}>
                  <td className={`${td} font-mono text-xs`}>
                    {h.orderId}
                    <span className="block text-gray-400">{h.id}</span>
                  </td>
                  <td className={`${td} tabular-nums`}>
                    {formatInt(h.points, locale)}
                    <span className="block text-xs text-gray-500">{t("holds.worth", { value: formatYuan(h.pointsValue, locale) })}</span>
                  </td>
                  <td className={`${td} tabular-nums`}>{h.grants.length ? h.grants.map((g) => formatYuan(g.discount, locale)).join(" + ") : "—"}</td>
                  <td className={`${td} tabular-nums`}>{h.wallet ? formatYuan(h.wallet, locale) : "—"}</td>
                  <td className={`${td} tabular-nums`}>{formatYuan(h.payable, locale)}</td>
                  <td className={`${td} whitespace-nowrap`}>{formatDateTime(h.expiresAt, tz)}</td>
                  <td className={td}>{canWrite ? <ReasonAction kind="release" memberId={d.member.memberId} holdId={h.id} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** Stored value: balances (principal and bonus apart) and the ledger. */
export async function WalletCard({ detail: d, timeZone: tz }: { detail: MemberDetail; timeZone: string }) {
  const t = await getTranslations("checkout");
  const locale = await getLocale();
  const w = d.wallet;
  return (
    <Card aria-labelledby="wallet-heading" data-testid="member-wallet">
      <CardHeader id="wallet-heading" title={t("wallet.heading")} description={t("wallet.description")} />
      <dl className="grid grid-cols-2 gap-3 px-5 pt-4 text-sm sm:grid-cols-4">
        {(
          [
            ["balance", w.balance],
            ["principal", w.principal],
            ["bonus", w.bonus],
            ["held", w.held],
          ] as const
        ).map(([k, v]) => (
          <div key={k}>
            <dt className="text-xs text-gray-500">{t(`wallet.${k}`)}</dt>
            <dd className="mt-0.5 font-semibold text-gray-900 tabular-nums" data-testid={`wallet-${k}`}>
              {formatYuan(v, locale)}
            </dd>
          </div>
        ))}
      </dl>
      {w.entries.length === 0 ? (
        <p className="px-5 py-6 text-sm text-gray-500">{t("wallet.empty")}</p>
      ) : (
        <div className="mt-3 max-h-96 overflow-auto">
          <table className="w-full text-left text-sm" data-testid="wallet-ledger">
            <caption className="sr-only">{t("wallet.ledger")}</caption>
            <thead className="sticky top-0 border-y border-gray-100 bg-gray-50 text-xs text-gray-500">
              <tr>
                {[t("wallet.at"), t("wallet.type"), t("wallet.principal"), t("wallet.bonus"), t("wallet.after")].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2 font-medium whitespace-nowrap first:pl-5">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {w.entries.map((e) => (
                <tr key={e.id}>
                  <td className={`${td} whitespace-nowrap`}>{formatDateTime(e.at, tz)}</td>
                  <td className={td}>{t(`wallet.types.${e.type}`)}</td>
                  <td className={`${td} tabular-nums`}>{signedYuan(e.principal, locale)}</td>
                  <td className={`${td} tabular-nums`}>{signedYuan(e.bonus, locale)}</td>
                  <td className={`${td} tabular-nums`}>{formatYuan(e.principalAfter + e.bonusAfter, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { can, seesFullPhone } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { currentProgram } from "@/lib/program/store";
import { memberDetail } from "@/lib/members/member-detail";
import { memberIdParamOrThrow } from "@/lib/schemas/members";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { MemberActions } from "@/components/members/member-actions";
import { MemberSections } from "@/components/members/member-sections";
import { HoldsCard } from "@/components/members/checkout-sections";
import { PhoneOrderForm } from "@/components/mall/phone-order-form";
import { listItemsFor } from "@/lib/mall/items";
import { formatDateTime, formatInt, formatYuan, localName } from "@/components/members/format";
import { MemberCardSection } from "@/components/membership/member-card";
import { memberCards } from "@/lib/membership/read";

type Params = { params: Promise<{ memberId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `${(await getTranslations("memberDetail"))("title")} ${memberIdOrNull((await params).memberId) ?? ""}` };
}

/** The path's member id, or null when no member can have it (a NUL, a malformed %-escape): a 404, not a 500. */
function memberIdOrNull(raw: string) {
  try {
    return memberIdParamOrThrow(raw);
  } catch {
    return null;
  }
}

const lifecycleTone = { new: "accent", active: "green", dormant: "amber", lost: "red" } as const;

/** One member's whole story: tier and why, points by lot, ledgers, rights, orders, automations, and operator actions. */
export default async function MemberPage({ params }: Params) {
  const { actor, db } = await currentActor();
  if (!actor) redirect("/sign-in");
  const memberId = memberIdOrNull((await params).memberId);
  if (memberId === null) notFound();
  const [t, tm, locale, program] = await Promise.all([getTranslations("memberDetail"), getTranslations("members"), getLocale(), currentProgram(db, actor.merchantId)]);
  let d;
  try {
    d = await memberDetail(db, actor.merchantId, memberId, { fullPhone: seesFullPhone(actor), locale });
  } catch (e) {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  }
  const tz = program.timeZone;
  const m = d.member;
  const cards = await memberCards(db, actor.merchantId, m.memberId);
  // The phone-order form (operators): the mall's items with whether this member can order each.
  const [tMall, mallItems] = can(actor, "members.write") ? await Promise.all([getTranslations("mall.phoneOrder"), listItemsFor(db, actor.merchantId, m.memberId).then((r) => r.items)]) : [null, []];
  const unit = (measure: string, n: number) => (measure === "spend" ? formatYuan(n, locale) : measure === "orders" ? t("units.orders", { n }) : t("units.growth", { n: formatInt(n, locale) }));

  return (
    <div className="space-y-6">
      <div>
        <Link href="/members" className="text-sm text-gray-500 hover:text-gray-800">
          ← {tm("heading")}
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-gray-900">{m.name ?? tm("unnamed")}</h1>
          <span className="inline-flex items-center gap-1.5 rounded-full bg-white px-2.5 py-0.5 text-sm font-medium ring-1 ring-gray-200" data-testid="member-tier">
            <span className="size-2 rounded-full" style={{ background: m.tier.color }} aria-hidden="true" />
            {localName(m.tier.name, locale)}
          </span>
          <Badge tone={lifecycleTone[m.lifecycle]}>{tm(`lifecycle.${m.lifecycle}`)}</Badge>
        </div>
        <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm text-gray-500">
          <div>
            <dt className="inline">{t("profile.id")}</dt>{" "}
            <dd className="inline font-mono text-gray-700">{m.memberId}</dd>
          </div>
          <div>
            <dt className="inline">{t("profile.phone")}</dt>{" "}
            <dd className="inline font-mono text-gray-700" data-testid="member-phone">
              {m.phone ?? "—"}
            </dd>
          </div>
          <div>
            <dt className="inline">{t("profile.birthday")}</dt>{" "}
            <dd className="inline text-gray-700">{m.birthday ?? "—"}</dd>
          </div>
          <div>
            <dt className="inline">{t("profile.registered")}</dt>{" "}
            <dd className="inline text-gray-700">{formatDateTime(m.registeredAt, tz)}</dd>
          </div>
          <div>
            <dt className="inline">RFM</dt>{" "}
            <dd className="inline font-mono text-gray-700">{`R${m.rfm.r} F${m.rfm.f} M${m.rfm.m}`}</dd>
          </div>
        </dl>
      </div>

      <div className="grid gap-4 md:grid-cols-3">
        <Card className="p-5">
          <h2 className="text-sm font-medium text-gray-500">{t("tier.heading")}</h2>
          <p className="mt-1 text-xl font-semibold text-gray-900">{localName(m.tier.name, locale)}</p>
          <p className="mt-1 text-xs text-gray-500">{t("tier.since", { date: formatDateTime(m.tierSince, tz, false) })}</p>
          {m.manualTier ? <p className="mt-2 rounded-md bg-amber-50 px-2 py-1 text-xs text-amber-800">{t("tier.manualNote")}</p> : null}
          <div className="mt-3 text-sm text-gray-700" data-testid="tier-progress">
            {d.progress ? (
              d.progress.thresholds.map((th) => (
                <p key={`${th.measure}-${th.window}`}>
                  {th.remaining > 0
                    ? t("tier.toGo", { amount: unit(th.measure, th.remaining), tier: localName(d.progress!.tier.name, locale), window: t(`windows.${th.window}`) })
                    : t("tier.met", { tier: localName(d.progress!.tier.name, locale) })}
                  <span className="mt-1 block h-1.5 overflow-hidden rounded-full bg-gray-100">
                    <span className="block h-full rounded-full bg-accent-500" style={{ width: `${Math.min(100, Math.round((th.current / th.value) * 100))}%` }} />
                  </span>
                </p>
              ))
            ) : (
              <p>{t("tier.top")}</p>
            )}
          </div>
        </Card>
        <Card className="p-5">
          <h2 className="text-sm font-medium text-gray-500">{t("points.heading")}</h2>
          <p className="mt-1 text-xl font-semibold text-gray-900 tabular-nums" data-testid="points-balance">
            {formatInt(m.pointsBalance, locale)}
          </p>
          {d.checkout.heldPoints > 0 ? (
            <p className="mt-1 text-xs text-amber-700" data-testid="points-held">
              {t("points.held", { n: formatInt(d.checkout.heldPoints, locale), available: formatInt(d.checkout.availablePoints, locale) })}
            </p>
          ) : null}
          {m.pointsDebt > 0 ? <p className="mt-1 text-xs text-red-600">{t("points.debt", { n: formatInt(m.pointsDebt, locale) })}</p> : null}
          <p className="mt-1 text-xs text-gray-500">{t("points.growth", { n: formatInt(m.growth, locale) })}</p>
          <ul className="mt-3 space-y-1 text-xs text-gray-600">
            {d.lots.slice(0, 4).map((l) => (
              <li key={l.id} className="flex justify-between gap-2">
                <span>{l.validThrough ? t("points.lot", { date: l.validThrough }) : "—"}</span>
                <span className="tabular-nums">{formatInt(l.remaining, locale)}</span>
              </li>
            ))}
            {d.lots.length > 4 ? <li className="text-gray-400">{t("points.moreLots", { n: d.lots.length - 4 })}</li> : null}
          </ul>
        </Card>
        <Card className="p-5">
          <h2 className="text-sm font-medium text-gray-500">{t("spend.heading")}</h2>
          <p className="mt-1 text-xl font-semibold text-gray-900 tabular-nums">{formatYuan(m.lifetimeSpend, locale)}</p>
          <p className="mt-1 text-xs text-gray-500">{t("spend.orders", { n: m.orderCount, last: formatDateTime(m.lastOrderAt, tz, false) })}</p>
          <p className="mt-3 text-xs text-gray-600">{t("rights.counts", d.rightCounts)}</p>
        </Card>
      </div>

      <MemberCardSection cards={cards} plans={program.plans} rights={d.rights} timeZone={tz} locale={locale} />

      {can(actor, "members.write") ? (
        <Card aria-labelledby="actions-heading">
          <CardHeader id="actions-heading" title={t("actions.heading")} description={t("actions.description")} />
          <MemberActions
            memberId={m.memberId}
            currentTier={m.tier.code}
            tiers={d.options.tiers.map((x) => ({ code: x.code, label: localName(x.name, locale) }))}
            rights={d.options.rights.map((x) => ({ code: x.code, label: localName(x.name, locale) }))}
          />
        </Card>
      ) : null}

      {tMall ? (
        <Card aria-labelledby="phone-order-heading">
          <CardHeader id="phone-order-heading" title={tMall("heading")} description={tMall("description")} />
          <PhoneOrderForm memberId={m.memberId} items={mallItems} />
        </Card>
      ) : null}

      <HoldsCard detail={d} timeZone={tz} canWrite={can(actor, "members.write")} />

      <MemberSections detail={d} timeZone={tz} canWrite={can(actor, "members.write")} />
    </div>
  );
}

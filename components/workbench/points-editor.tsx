"use client";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { useWatch } from "react-hook-form";
import { explainOrderPoints } from "@/lib/engine/rules";
import { expiryRuleText } from "@/lib/program/expiry-rule";
import type { Program } from "@/lib/schemas/program";

type Expiry = Program["points"]["expiry"];
import { Card, CardHeader } from "@/components/ui/card";
import { CheckoutRulesCard } from "./checkout-controls";
import { inputClasses } from "@/components/ui/field";
import { LabeledControl, NumberInput } from "./controls";
import { useProgramForm } from "./program-form";

const pointFields = ["perYuan", "checkIn", "review", "share", "shareDailyCap", "profileCompleted", "referral", "streakDays"] as const;
const growthFields = ["perYuan", "checkIn", "review", "share", "profileCompleted", "referral"] as const;

function ExampleLine({ defaultDate }: { defaultDate: string }) {
  const t = useTranslations("workbench.points");
  const locale = useLocale();
  const { control } = useProgramForm();
  const program = useWatch({ control }) as Program;
  const tiers = program.tiers ?? [];
  const [tierCode, setTierCode] = useState(tiers.find((x) => x.code === "gold")?.code ?? tiers[tiers.length - 1]?.code ?? "");
  const [amount, setAmount] = useState("258");
  const [date, setDate] = useState(defaultDate);
  const fen = Math.round(Number(amount) * 100);
  let result: ReturnType<typeof explainOrderPoints> | null = null;
  try {
    if (fen > 0 && /^\d{4}-\d{2}-\d{2}$/.test(date) && Number.isFinite(Number(program.points?.perYuan))) result = explainOrderPoints(program, tierCode, fen, date);
  } catch {
    result = null;
  }
  const tier = tiers.find((x) => x.code === tierCode);
  const tierName = (x: Program["tiers"][number] | undefined) => (x ? (locale === "en" ? x.name.en : x.name.zh) || x.code : "");
  const campaignNames = (result?.campaigns ?? []).map((c) => {
    const found = program.campaigns.find((x) => x.code === c);
    return found ? (locale === "en" ? found.name.en : found.name.zh) : c;
  });
  return (
    <Card aria-labelledby="example-heading">
      <CardHeader id="example-heading" title={t("example")} description={t("exampleHelp")} />
      <div className="space-y-4 px-5 py-4">
        <div className="grid grid-cols-3 gap-3">
          <div>
            <label htmlFor="ex-tier" className="mb-1 block text-xs font-medium text-gray-600">
              {t("exTier")}
            </label>
            <select id="ex-tier" className={inputClasses()} value={tierCode} onChange={(e) => setTierCode(e.target.value)}>
              {tiers.map((x) => (
                <option key={x.code} value={x.code}>
                  {tierName(x)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="ex-amount" className="mb-1 block text-xs font-medium text-gray-600">
              {t("exAmount")}
            </label>
            <input id="ex-amount" type="number" min={0} step="0.01" className={inputClasses()} value={amount} onChange={(e) => setAmount(e.target.value)} />
          </div>
          <div>
            <label htmlFor="ex-date" className="mb-1 block text-xs font-medium text-gray-600">
              {t("exDate")}
            </label>
            <input id="ex-date" type="date" className={inputClasses()} value={date} onChange={(e) => setDate(e.target.value)} />
          </div>
        </div>
        <p className="rounded-lg bg-accent-50 px-4 py-3 text-sm text-accent-900" data-testid="example-line" aria-live="polite">
          {result
            ? t("exLine", { tier: tierName(tier), amount: Number(amount).toLocaleString(locale), day: Number(date.slice(8, 10)), points: result.points })
            : t("exInvalid")}
        </p>
        {result ? (
          <p className="text-xs text-gray-500" data-testid="example-detail">
            {t("exDetail", { perYuan: Number(program.points.perYuan), tierPct: result.tierPct, campaignPct: result.campaignPct, bonus: result.bonus })}
            {campaignNames.length ? ` · ${t("exCampaigns", { names: campaignNames.join("、") })}` : ""}
          </p>
        ) : null}
      </div>
    </Card>
  );
}

export function PointsEditor({ defaultDate }: { defaultDate: string }) {
  const t = useTranslations("workbench.points");
  const locale = useLocale();
  const { control, setValue } = useProgramForm();
  const [expiryKind, tiers, rights, dailyCap, expiry, referralCap] = useWatch({ control, name: ["points.expiry.kind", "tiers", "rights", "points.dailyCap", "points.expiry", "points.referralOrder.monthlyCapPerReferrer"] });
  return (
    <div className="space-y-6">
      <ExampleLine defaultDate={defaultDate} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card aria-labelledby="points-heading">
          <CardHeader id="points-heading" title={t("points")} description={t("pointsHelp")} />
          <div className="grid grid-cols-2 gap-3 px-5 py-4">
            {pointFields.map((f) => (
              <LabeledControl key={f} label={t(`fields.${f}`)} name={`points.${f}`} htmlFor={`points-${f}`}>
                <NumberInput name={`points.${f}`} id={`points-${f}`} min={0} />
              </LabeledControl>
            ))}
            <LabeledControl label={t("fields.streakRight")} name="points.streakRightCode" htmlFor="points-streakRight">
              <select
                id="points-streakRight"
                className={inputClasses()}
                value={useWatch({ control, name: "points.streakRightCode" }) ?? ""}
                onChange={(e) => setValue("points.streakRightCode", e.target.value || null, { shouldDirty: true })}
              >
                <option value="">{t("none")}</option>
                {rights.map((r, i) => (
                  <option key={i} value={r.code}>
                    {(locale === "en" ? r.name.en : r.name.zh) || r.code}
                  </option>
                ))}
              </select>
            </LabeledControl>
            <LabeledControl label={t("fields.dailyCap")} name="points.dailyCap" htmlFor="points-dailyCap">
              <NumberInput name="points.dailyCap" id="points-dailyCap" nullable min={1} aria-label={t("fields.dailyCap")} />
              {dailyCap === null || dailyCap === undefined ? <span className="text-xs text-gray-500">{t("noCap")}</span> : null}
            </LabeledControl>
          </div>
          <div className="border-t border-gray-100 px-5 py-4" data-testid="referral-order">
            <h3 className="text-sm font-medium text-gray-900">{t("referralOrder")}</h3>
            <p className="mt-0.5 text-xs text-gray-500">{t("referralOrderHelp")}</p>
            <div className="mt-3 grid grid-cols-3 gap-3">
              <LabeledControl label={t("referralOrderReferrer")} name="points.referralOrder.referrer" htmlFor="points-referral-order-referrer">
                <NumberInput name="points.referralOrder.referrer" id="points-referral-order-referrer" min={0} />
              </LabeledControl>
              <LabeledControl label={t("referralOrderReferee")} name="points.referralOrder.referee" htmlFor="points-referral-order-referee">
                <NumberInput name="points.referralOrder.referee" id="points-referral-order-referee" min={0} />
              </LabeledControl>
              <LabeledControl label={t("referralOrderCap")} name="points.referralOrder.monthlyCapPerReferrer" htmlFor="points-referral-order-cap">
                <NumberInput name="points.referralOrder.monthlyCapPerReferrer" id="points-referral-order-cap" nullable min={1} />
                {referralCap === null || referralCap === undefined ? <span className="text-xs text-gray-500">{t("noCap")}</span> : null}
              </LabeledControl>
            </div>
          </div>
        </Card>
        <div className="space-y-6">
          <Card aria-labelledby="expiry-heading">
            <CardHeader id="expiry-heading" title={t("expiry")} />
            <div className="grid grid-cols-2 gap-3 px-5 py-4">
              <LabeledControl label={t("expiryKind")} name="points.expiry.kind" htmlFor="expiry-kind">
                <select
                  id="expiry-kind"
                  className={inputClasses()}
                  value={expiryKind}
                  onChange={(e) => {
                    const kind = e.target.value as "rollingMonths" | "endOfNextYear" | "never";
                    setValue("points.expiry", kind === "rollingMonths" ? { kind, months: 12 } : { kind }, { shouldDirty: true });
                  }}
                >
                  {(["rollingMonths", "endOfNextYear", "never"] as const).map((k) => (
                    <option key={k} value={k}>
                      {t(`expiryKinds.${k}`)}
                    </option>
                  ))}
                </select>
              </LabeledControl>
              {expiryKind === "rollingMonths" ? (
                <LabeledControl label={t("months")} name="points.expiry.months" htmlFor="expiry-months">
                  <NumberInput name="points.expiry.months" id="expiry-months" min={1} max={120} />
                </LabeledControl>
              ) : null}
              <p className="col-span-2 text-xs text-gray-500" data-testid="expiry-rule">
                {expiry && (expiry.kind !== "rollingMonths" || Number(expiry.months) >= 1) ? expiryRuleText({ ...expiry, ...(expiry.kind === "rollingMonths" ? { months: Number(expiry.months) } : {}) } as Expiry, locale === "en" ? "en" : "zh") : null}
              </p>
              <LabeledControl label={t("pointValue")} name="points.pointValueCentiFen" htmlFor="point-value">
                <NumberInput name="points.pointValueCentiFen" id="point-value" min={1} />
                <span className="text-xs text-gray-500">{t("pointValueHelp")}</span>
              </LabeledControl>
            </div>
          </Card>
          <Card aria-labelledby="multipliers-heading">
            <CardHeader id="multipliers-heading" title={t("multipliers")} description={t("multipliersHelp")} />
            <div className="grid grid-cols-2 gap-3 px-5 py-4">
              {tiers.map((tier, i) => (
                <LabeledControl key={i} label={(locale === "en" ? tier.name.en : tier.name.zh) || tier.code} name={`tiers.${i}.pointsMultiplierPct`} htmlFor={`mult-${i}`}>
                  <NumberInput name={`tiers.${i}.pointsMultiplierPct`} id={`mult-${i}`} min={0} />
                </LabeledControl>
              ))}
            </div>
          </Card>
        </div>
      </div>
      <CheckoutRulesCard />
      <Card aria-labelledby="growth-heading">
        <CardHeader id="growth-heading" title={t("growth")} description={t("growthHelp")} />
        <div className="grid grid-cols-2 gap-3 px-5 py-4 sm:grid-cols-3 lg:grid-cols-6">
          {growthFields.map((f) => (
            <LabeledControl key={f} label={t(`fields.${f}`)} name={`growth.${f}`} htmlFor={`growth-${f}`}>
              <NumberInput name={`growth.${f}`} id={`growth-${f}`} min={0} />
            </LabeledControl>
          ))}
        </div>
      </Card>
    </div>
  );
}


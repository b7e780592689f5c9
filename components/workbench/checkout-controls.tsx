"use client";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { useFieldArray, useWatch } from "react-hook-form";
import { inputClasses } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import type { CouponEffect } from "@/lib/schemas/program";
import { ErrorText, useEditor, useProgramForm } from "./program-form";
import { LabeledControl, NumberInput, YuanInput } from "./controls";

const defaults: Record<CouponEffect["type"], CouponEffect> = {
  amount: { type: "amount", amount: 1000, minSpend: 0 },
  percent: { type: "percent", percent: 10, maxDiscount: null },
  shipping: { type: "shipping" },
};

/** What a right takes off at checkout: none, 满减 (amount from a minimum spend), a percentage (capped), or shipping. */
export function CouponEffectInput({ index }: { index: number }) {
  const t = useTranslations("workbench.rights.coupon");
  const { control, setValue } = useProgramForm();
  const name = `rights.${index}.coupon` as const;
  const effect = useWatch({ control, name }) as CouponEffect | null | undefined;
  const type = effect?.type ?? "";
  return (
    <div className="flex flex-wrap items-start gap-x-3 gap-y-1.5">
      <label htmlFor={`r${index}-coupon`} className="mt-2 text-xs font-medium text-gray-600">
        {t("type")}
      </label>
      <select
        id={`r${index}-coupon`}
        className={`${inputClasses()} w-44`}
        value={type}
        onChange={(e) => setValue(name, e.target.value ? defaults[e.target.value as CouponEffect["type"]] : null, { shouldDirty: true, shouldValidate: true })}
      >
        <option value="">{t("none")}</option>
        {(["amount", "percent", "shipping"] as const).map((k) => (
          <option key={k} value={k}>
            {t(`types.${k}`)}
          </option>
        ))}
      </select>
      {effect?.type === "amount" ? (
        <>
          <Inline label={t("amount")} name={`${name}.amount`} id={`r${index}-coupon-amount`}>
            <YuanInput name={`${name}.amount`} id={`r${index}-coupon-amount`} nullable className="w-28" />
          </Inline>
          <Inline label={t("minSpend")} name={`${name}.minSpend`} id={`r${index}-coupon-min`}>
            <YuanInput name={`${name}.minSpend`} id={`r${index}-coupon-min`} className="w-28" />
          </Inline>
          <p className="mt-2 text-xs text-gray-500">{t("amountHelp")}</p>
        </>
      ) : effect?.type === "percent" ? (
        <>
          <Inline label={t("percent")} name={`${name}.percent`} id={`r${index}-coupon-pct`}>
            <NumberInput name={`${name}.percent`} id={`r${index}-coupon-pct`} min={1} max={99} className="w-20" />
          </Inline>
          <Inline label={t("maxDiscount")} name={`${name}.maxDiscount`} id={`r${index}-coupon-max`}>
            <YuanInput name={`${name}.maxDiscount`} id={`r${index}-coupon-max`} nullable className="w-28" />
          </Inline>
        </>
      ) : null}
      <ErrorText name={name} />
    </div>
  );
}

/** A label beside its control, with the control's error under it. */
function Inline({ label, name, id, children }: { label: string; name: string; id: string; children: ReactNode }) {
  return (
    <div className="flex items-start gap-2">
      <label htmlFor={id} className="mt-2 text-xs text-gray-600">
        {label}
      </label>
      <div>
        {children}
        <ErrorText name={name} />
      </div>
    </div>
  );
}

/** Points as cash (积分抵现) and stored-value top-up bonuses (储值赠送). */
export function CheckoutRulesCard() {
  const t = useTranslations("workbench.points.checkout");
  const { control, register } = useProgramForm();
  const { readOnly } = useEditor();
  const { fields, append, remove } = useFieldArray({ control, name: "wallet.topUpBonuses" });
  const share = useWatch({ control, name: "points.pointsAsCash.maxShare" }) as number | undefined;
  const { setValue } = useProgramForm();
  return (
    <Card aria-labelledby="checkout-rules-heading">
      <CardHeader id="checkout-rules-heading" title={t("heading")} description={t("help")} />
      <div className="grid gap-3 px-5 py-4 sm:grid-cols-4">
        <label className="flex items-center gap-2 self-center text-sm text-gray-700 sm:col-span-4">
          <input type="checkbox" {...register("points.pointsAsCash.enabled")} />
          {t("enabled")}
        </label>
        <LabeledControl label={t("maxShare")} name="points.pointsAsCash.maxShare" htmlFor="pac-share">
          <input
            id="pac-share"
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            className={inputClasses()}
            value={share === undefined ? "" : Math.round(share * 100)}
            onChange={(e) => setValue("points.pointsAsCash.maxShare", e.target.value === "" ? 0 : Number(e.target.value) / 100, { shouldDirty: true, shouldValidate: true })}
          />
        </LabeledControl>
        <LabeledControl label={t("minPoints")} name="points.pointsAsCash.minPoints" htmlFor="pac-min">
          <NumberInput name="points.pointsAsCash.minPoints" id="pac-min" min={0} />
        </LabeledControl>
        <LabeledControl label={t("step")} name="points.pointsAsCash.step" htmlFor="pac-step">
          <NumberInput name="points.pointsAsCash.step" id="pac-step" min={1} />
        </LabeledControl>
      </div>
      <div className="border-t border-gray-100 px-5 py-4">
        <label className="flex items-center gap-2 text-sm text-gray-700">
          <input type="checkbox" {...register("wallet.enabled")} />
          {t("walletEnabled")}
        </label>
        <p className="mt-1 text-xs text-gray-500">{t("walletHelp")}</p>
        <div className="mt-3 space-y-2">
          {fields.map((f, i) => (
            <div key={f.id} className="grid grid-cols-[1fr_1fr_auto] items-end gap-2" data-testid={`bonus-row-${i}`}>
              <LabeledControl label={t("minAmount")} name={`wallet.topUpBonuses.${i}.minAmount`} htmlFor={`bonus-${i}-min`}>
                <YuanInput name={`wallet.topUpBonuses.${i}.minAmount`} id={`bonus-${i}-min`} />
              </LabeledControl>
              <LabeledControl label={t("bonus")} name={`wallet.topUpBonuses.${i}.bonus`} htmlFor={`bonus-${i}-bonus`}>
                <YuanInput name={`wallet.topUpBonuses.${i}.bonus`} id={`bonus-${i}-bonus`} />
              </LabeledControl>
              {readOnly ? null : (
                <Button variant="ghost" size="sm" onClick={() => remove(i)} aria-label={t("remove")}>
                  ✕
                </Button>
              )}
            </div>
          ))}
          {readOnly ? null : (
            <Button variant="secondary" size="sm" onClick={() => append({ minAmount: 50000, bonus: 5000 })}>
              + {t("addBonus")}
            </Button>
          )}
        </div>
      </div>
    </Card>
  );
}

"use client";
import clsx from "clsx";
import { useLocale, useTranslations } from "next-intl";
import { useWatch } from "react-hook-form";
import type { Program } from "@/lib/schemas/program";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { inputClasses } from "@/components/ui/field";
import { NumberInput, TextInput, YuanInput } from "@/components/workbench/controls";
import { ErrorText, useEditor, useProgramForm } from "@/components/workbench/program-form";

type Plan = Program["plans"][number];
type PlanRight = Plan["rights"][number];

/**
 * Paid-membership plans (付费会员卡) in the program: price and/or points, months, rights on start and
 * monthly, points multiplier. Saved with the program (a new version), as every workbench editor.
 */
export function PlansEditor() {
  const t = useTranslations("membership.plans");
  const locale = useLocale();
  const { control, setValue, getValues } = useProgramForm();
  const { readOnly } = useEditor();
  const plans = (useWatch({ control, name: "plans" }) ?? []) as Plan[];
  const rights = (useWatch({ control, name: "rights" }) ?? []) as Program["rights"];
  const setPlans = (all: Plan[]) => setValue("plans", all as never, { shouldDirty: true });
  const setRights = (i: number, rs: PlanRight[]) => {
    const all = [...(getValues("plans") as Plan[])];
    all[i] = { ...all[i], rights: rs };
    setPlans(all);
  };
  const rightName = (code: string) => {
    const r = rights.find((x) => x.code === code);
    return r ? (locale === "en" ? r.name.en : r.name.zh) : code;
  };

  return (
    <Card aria-labelledby="plans-heading" data-testid="plans-editor">
      <CardHeader
        id="plans-heading"
        title={t("title")}
        description={t("description")}
        actions={
          readOnly ? null : (
            <Button
              variant="secondary"
              data-testid="add-plan"
              onClick={() => setPlans([...plans, { code: `plan_${plans.length + 1}`, name: "", nameEn: "", months: 12, price: null, points: null, rights: [] }])}
            >
              + {t("add")}
            </Button>
          )
        }
      />
      {plans.length === 0 ? <p className="px-5 py-4 text-sm text-gray-500">{t("empty")}</p> : null}
      <ul className="divide-y divide-gray-100">
        {plans.map((p, i) => (
          <li key={i} className="grid gap-4 px-5 py-4 lg:grid-cols-[minmax(0,16rem)_1fr]" data-testid={`plan-${p.code}`}>
            <div className="space-y-2">
              <label htmlFor={`pl${i}-name`} className="block text-xs font-medium text-gray-500">{t("name")}</label>
              <TextInput name={`plans.${i}.name`} id={`pl${i}-name`} />
              <ErrorText name={`plans.${i}.name`} />
              <label htmlFor={`pl${i}-nameEn`} className="block text-xs font-medium text-gray-500">{t("nameEn")}</label>
              <TextInput name={`plans.${i}.nameEn`} id={`pl${i}-nameEn`} />
              <ErrorText name={`plans.${i}.nameEn`} />
              <label htmlFor={`pl${i}-code`} className="block text-xs font-medium text-gray-500">{t("code")}</label>
              <TextInput name={`plans.${i}.code`} id={`pl${i}-code`} className="font-mono text-xs" />
              <ErrorText name={`plans.${i}.code`} />
              {readOnly ? null : (
                <Button variant="ghost" size="sm" onClick={() => setPlans(plans.filter((_, k) => k !== i))}>
                  {t("remove")}
                </Button>
              )}
            </div>
            <div className="space-y-3 text-sm">
              <div className="grid gap-3 sm:grid-cols-4">
                <div>
                  <label htmlFor={`pl${i}-months`} className="block text-xs font-medium text-gray-500">{t("months")}</label>
                  <NumberInput name={`plans.${i}.months`} id={`pl${i}-months`} min={1} max={120} />
                  <ErrorText name={`plans.${i}.months`} />
                </div>
                <div>
                  <label htmlFor={`pl${i}-price`} className="block text-xs font-medium text-gray-500">{t("price")}</label>
                  <YuanInput name={`plans.${i}.price`} id={`pl${i}-price`} nullable />
                  <ErrorText name={`plans.${i}.price`} />
                </div>
                <div>
                  <label htmlFor={`pl${i}-points`} className="block text-xs font-medium text-gray-500">{t("points")}</label>
                  <NumberInput name={`plans.${i}.points`} id={`pl${i}-points`} nullable min={1} />
                  <ErrorText name={`plans.${i}.points`} />
                </div>
                <div>
                  <label htmlFor={`pl${i}-mult`} className="block text-xs font-medium text-gray-500">{t("multiplier")}</label>
                  <NumberInput name={`plans.${i}.pointsMultiplier`} id={`pl${i}-mult`} min={1} max={10} step={0.01} />
                  <ErrorText name={`plans.${i}.pointsMultiplier`} />
                </div>
              </div>
              <p className="text-xs text-gray-500">{t("hint")}</p>
              <div className="space-y-2 rounded-lg bg-gray-50 p-2 ring-1 ring-gray-200">
                <p className="text-xs font-medium text-gray-500">{t("rights")}</p>
                {p.rights.map((r, j) => (
                  <div key={j} className="flex flex-wrap gap-2">
                    <select
                      className={clsx(inputClasses(), "min-w-0 flex-1")}
                      aria-label={t("right")}
                      value={r.right}
                      disabled={readOnly}
                      onChange={(e) => setRights(i, p.rights.map((x, k) => (k === j ? { ...x, right: e.target.value } : x)))}
                    >
                      {rights.map((x) => (
                        <option key={x.code} value={x.code}>{rightName(x.code)}</option>
                      ))}
                    </select>
                    <div className="w-20">
                      <NumberInput name={`plans.${i}.rights.${j}.quantity`} id={`pl${i}-r${j}-q`} min={1} max={100} aria-label={t("quantity")} />
                    </div>
                    <select
                      className={clsx(inputClasses(), "w-32!")}
                      aria-label={t("cadence")}
                      value={r.cadence}
                      disabled={readOnly}
                      onChange={(e) => setRights(i, p.rights.map((x, k) => (k === j ? { ...x, cadence: e.target.value as PlanRight["cadence"] } : x)))}
                    >
                      <option value="on_start">{t("cadences.on_start")}</option>
                      <option value="monthly">{t("cadences.monthly")}</option>
                    </select>
                    {readOnly ? null : (
                      <Button variant="ghost" size="sm" aria-label={t("removeRight")} onClick={() => setRights(i, p.rights.filter((_, k) => k !== j))}>✕</Button>
                    )}
                    <ErrorText name={`plans.${i}.rights.${j}.right`} />
                    <ErrorText name={`plans.${i}.rights.${j}.quantity`} />
                  </div>
                ))}
                {readOnly || rights.length === 0 ? null : (
                  <Button variant="ghost" size="sm" onClick={() => setRights(i, [...p.rights, { right: rights[0].code, quantity: 1, cadence: "on_start" }])}>
                    + {t("addRight")}
                  </Button>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

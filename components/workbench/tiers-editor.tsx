"use client";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { useFieldArray, useWatch } from "react-hook-form";
import { measures, retentionKinds, windows, type Retention } from "@/lib/schemas/program";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { inputClasses } from "@/components/ui/field";
import { LabeledControl, NumberInput, SelectInput, TextInput } from "./controls";
import { ErrorText, useEditor, useProgramForm } from "./program-form";
import { PreviewPanel } from "./preview-panel";

function Thresholds({ index }: { index: number }) {
  const t = useTranslations("workbench.tiers");
  const { control } = useProgramForm();
  const { fields, append, remove } = useFieldArray({ control, name: `tiers.${index}.thresholds` });
  const { readOnly } = useEditor();
  if (index === 0) return <p className="text-sm text-gray-500">{t("entryTier")}</p>;
  return (
    <div className="space-y-2">
      {fields.map((f, j) => (
        <div key={f.id} className="grid grid-cols-[1fr_1fr_1fr_auto] items-start gap-2" data-testid={`threshold-${index}-${j}`}>
          <SelectInput name={`tiers.${index}.thresholds.${j}.measure`} id={`t${index}-th${j}-measure`} aria-label={t("measure")}>
            {measures.map((m) => (
              <option key={m} value={m}>
                {t(`measures.${m}`)}
              </option>
            ))}
          </SelectInput>
          <SelectInput name={`tiers.${index}.thresholds.${j}.window`} id={`t${index}-th${j}-window`} aria-label={t("window")}>
            {windows.map((w) => (
              <option key={w} value={w}>
                {t(`windows.${w}`)}
              </option>
            ))}
          </SelectInput>
          <div>
            <NumberInput name={`tiers.${index}.thresholds.${j}.value`} id={`t${index}-th${j}-value`} min={1} aria-label={t("value")} />
            <ErrorText name={`tiers.${index}.thresholds.${j}.value`} />
          </div>
          {readOnly ? <span /> : (
            <Button variant="ghost" size="sm" onClick={() => remove(j)} aria-label={t("removeThreshold")}>
              ✕
            </Button>
          )}
        </div>
      ))}
      <ErrorText name={`tiers.${index}.thresholds`} />
      {!readOnly && fields.length < 3 ? (
        <Button variant="ghost" size="sm" onClick={() => append({ measure: "growth", window: "lifetime", value: 1000 })} data-testid={`add-threshold-${index}`}>
          + {t("addThreshold")}
        </Button>
      ) : null}
    </div>
  );
}

/** A tier's retention rule: its kind, and the months it counts when it has any. */
function TierRetention({ index }: { index: number }) {
  const t = useTranslations("workbench.tiers");
  const { control, setValue } = useProgramForm();
  const rule = useWatch({ control, name: `tiers.${index}.retention` }) as Retention | undefined;
  const kind = rule?.kind ?? "none";
  if (index === 0)
    return (
      <p className="col-span-2 text-xs text-gray-500" data-testid={`retention-${index}`}>
        {t("retention")}: {t("retentionEntry")}
      </p>
    );
  return (
    <div className="col-span-2 grid grid-cols-[1fr_5.5rem] gap-3" data-testid={`retention-${index}`}>
      <LabeledControl label={t("retention")} name={`tiers.${index}.retention.kind`} htmlFor={`t${index}-retention`}>
        <select
          id={`t${index}-retention`}
          className={inputClasses()}
          value={kind}
          onChange={(e) => {
            const next = e.target.value as Retention["kind"];
            const months = rule && rule.kind !== "none" ? rule.months : 3;
            setValue(`tiers.${index}.retention`, next === "none" ? { kind: next } : { kind: next, months }, { shouldDirty: true });
          }}
        >
          {retentionKinds.map((k) => (
            <option key={k} value={k}>
              {t(`retentionKinds.${k}`)}
            </option>
          ))}
        </select>
      </LabeledControl>
      {kind !== "none" ? (
        <LabeledControl label={t("months")} name={`tiers.${index}.retention.months`} htmlFor={`t${index}-retention-months`}>
          <NumberInput name={`tiers.${index}.retention.months`} id={`t${index}-retention-months`} min={1} max={36} />
        </LabeledControl>
      ) : null}
    </div>
  );
}

export function TiersEditor({ memberCounts }: { memberCounts: Record<string, number> }) {
  const t = useTranslations("workbench.tiers");
  const tc = useTranslations("workbench.form");
  const ts = useTranslations("startOffer");
  const tp = useTranslations("programCodes");
  const locale = useLocale();
  const { control, register } = useProgramForm();
  const { readOnly, tierMoves, setTierMoves } = useEditor();
  const { fields, append, remove, move } = useFieldArray({ control, name: "tiers" });
  const tiers = useWatch({ control, name: "tiers" });
  const trial = useWatch({ control, name: "trial" });
  const { setValue } = useProgramForm();
  const [removing, setRemoving] = useState<number | null>(null);
  const [destination, setDestination] = useState("");

  const askRemove = (i: number) => {
    const code = tiers[i]?.code;
    if (code && (memberCounts[code] ?? 0) > 0) {
      setDestination(tiers.find((_, j) => j !== i)?.code ?? "");
      setRemoving(i);
    } else remove(i);
  };
  const tierName = (i: number) => (locale === "en" ? tiers[i]?.name?.en : tiers[i]?.name?.zh) || tiers[i]?.code;

  return (
    <div className="space-y-6">
      <Card aria-labelledby="tiers-heading">
        <CardHeader
          id="tiers-heading"
          title={t("title")}
          description={t("description")}
          actions={
            readOnly || fields.length >= 8 ? null : (
              <Button
                variant="secondary"
                data-testid="add-tier"
                onClick={() => {
                  const n = fields.length + 1;
                  // A new top tier keeps its members the way the tier below it does.
                  const below = tiers[tiers.length - 1]?.retention;
                  append({ code: `tier${n}`, name: { zh: "", en: "" }, color: "#6366F1", thresholds: [{ measure: "growth", window: "lifetime", value: 1000 }], thresholdMode: "any", pointsMultiplierPct: 100, retention: below ?? { kind: "none" } });
                }}
              >
                + {t("add")}
              </Button>
            )
          }
        />
        <ol className="divide-y divide-gray-100">
          {fields.map((f, i) => (
            <li key={f.id} className="grid gap-4 px-5 py-4 lg:grid-cols-[6rem_1fr_1.3fr]" data-testid={`tier-row-${i}`}>
              <div className="flex items-start gap-3 lg:flex-col lg:items-center">
                <span className="flex size-9 items-center justify-center rounded-full text-sm font-semibold text-white shadow-sm" style={{ backgroundColor: tiers[i]?.color ?? "#999" }} aria-hidden="true">
                  {i + 1}
                </span>
                <Badge tone="gray">{t("members", { count: memberCounts[tiers[i]?.code ?? ""] ?? 0 })}</Badge>
                {readOnly ? null : (
                  <div className="flex gap-1">
                    <Button variant="ghost" size="sm" disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t("moveUp", { name: tierName(i) ?? "" })}>
                      ↑
                    </Button>
                    <Button variant="ghost" size="sm" disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} aria-label={t("moveDown", { name: tierName(i) ?? "" })}>
                      ↓
                    </Button>
                  </div>
                )}
              </div>
              <div className="grid grid-cols-2 gap-3">
                <LabeledControl label={t("nameZh")} name={`tiers.${i}.name.zh`} htmlFor={`t${i}-zh`}>
                  <TextInput name={`tiers.${i}.name.zh`} id={`t${i}-zh`} />
                </LabeledControl>
                <LabeledControl label={t("nameEn")} name={`tiers.${i}.name.en`} htmlFor={`t${i}-en`}>
                  <TextInput name={`tiers.${i}.name.en`} id={`t${i}-en`} placeholder={tp("enOptional")} />
                </LabeledControl>
                <LabeledControl label={t("code")} name={`tiers.${i}.code`} htmlFor={`t${i}-code`}>
                  <TextInput name={`tiers.${i}.code`} id={`t${i}-code`} placeholder={tp("codeAuto")} className="font-mono" />
                </LabeledControl>
                <LabeledControl label={t("color")} name={`tiers.${i}.color`} htmlFor={`t${i}-color`}>
                  <div className="flex gap-2">
                    <input type="color" aria-label={t("color")} className="h-9 w-10 shrink-0 rounded border border-gray-300" {...register(`tiers.${i}.color`)} />
                    <TextInput name={`tiers.${i}.color`} id={`t${i}-color`} className="font-mono" />
                  </div>
                </LabeledControl>
                <LabeledControl label={t("multiplier")} name={`tiers.${i}.pointsMultiplierPct`} htmlFor={`t${i}-mult`}>
                  <NumberInput name={`tiers.${i}.pointsMultiplierPct`} id={`t${i}-mult`} min={0} />
                </LabeledControl>
                <LabeledControl label={t("mode")} name={`tiers.${i}.thresholdMode`} htmlFor={`t${i}-mode`}>
                  <SelectInput name={`tiers.${i}.thresholdMode`} id={`t${i}-mode`}>
                    <option value="any">{t("modeAny")}</option>
                    <option value="all">{t("modeAll")}</option>
                  </SelectInput>
                </LabeledControl>
                <TierRetention index={i} />
              </div>
              <div className="space-y-2">
                <div className="flex items-center justify-between">
                  <span className="text-xs font-medium text-gray-600">{t("thresholds")}</span>
                  {readOnly || fields.length <= 2 ? null : (
                    <Button variant="ghost" size="sm" onClick={() => askRemove(i)} data-testid={`remove-tier-${i}`} className="text-red-600">
                      {t("remove")}
                    </Button>
                  )}
                </div>
                <Thresholds index={i} />
              </div>
            </li>
          ))}
        </ol>
        {tierMoves.length ? (
          <p className="border-t border-gray-100 px-5 py-3 text-sm text-amber-800" data-testid="tier-moves">
            {tierMoves.map((m) => t("moveNote", { from: m.from, to: m.to })).join(" · ")}
          </p>
        ) : null}
        <div className="px-5 pb-3">
          <ErrorText name="tiers" />
          <p className="mt-2 text-xs text-gray-500">{t("retentionHelp")}</p>
          <p className="mt-1 text-xs text-gray-500" data-testid="refund-rule">
            {t("refundRule")}
          </p>
        </div>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card aria-labelledby="trial-heading">
          <CardHeader id="trial-heading" title={t("trial")} description={t("trialHelp")} />
          <div className="grid grid-cols-2 gap-3 px-5 py-4">
            <label className="col-span-2 flex items-center gap-2 text-sm text-gray-700">
              <input
                type="checkbox"
                checked={!!trial}
                onChange={(e) => setValue("trial", e.target.checked ? { tierCode: tiers[1]?.code ?? tiers[0]?.code ?? "", days: 30 } : null, { shouldDirty: true })}
              />
              {t("trialEnabled")}
            </label>
            {trial ? (
              <>
                <LabeledControl label={ts("kind")} name="trial.kind" htmlFor="trial-kind">
                  <select
                    id="trial-kind"
                    className={inputClasses()}
                    value={trial.kind ?? "trial"}
                    onChange={(e) => {
                      const kind = e.target.value as "trial" | "firstOrderUpgrade";
                      const above = tiers[tiers.findIndex((x) => x.code === trial.tierCode) + 1]?.code;
                      setValue("trial", kind === "trial" ? { tierCode: trial.tierCode, days: trial.days } : { ...trial, kind, days: 7, upgradeTo: above ?? trial.tierCode }, { shouldDirty: true, shouldValidate: true });
                    }}
                  >
                    <option value="trial">{ts("trial")}</option>
                    <option value="firstOrderUpgrade">{ts("firstOrderUpgrade")}</option>
                  </select>
                </LabeledControl>
                <p className="col-span-2 text-xs text-gray-500" data-testid="start-offer-help">
                  {trial.kind === "firstOrderUpgrade" ? ts("firstOrderUpgradeHelp") : ts("trialHelp")}
                </p>
                <LabeledControl label={trial.kind === "firstOrderUpgrade" ? ts("startTier") : t("trialTier")} name="trial.tierCode" htmlFor="trial-tier">
                  <SelectInput name="trial.tierCode" id="trial-tier">
                    {tiers.map((x, i) => (
                      <option key={i} value={x.code}>
                        {tierName(i)}
                      </option>
                    ))}
                  </SelectInput>
                </LabeledControl>
                <LabeledControl label={trial.kind === "firstOrderUpgrade" ? ts("withinDays") : t("trialDays")} name="trial.days" htmlFor="trial-days">
                  <NumberInput name="trial.days" id="trial-days" min={1} max={90} />
                </LabeledControl>
                {trial.kind === "firstOrderUpgrade" ? (
                  <LabeledControl label={ts("upgradeTo")} name="trial.upgradeTo" htmlFor="trial-upgrade-to">
                    <SelectInput name="trial.upgradeTo" id="trial-upgrade-to">
                      {tiers.map((x, i) => (
                        <option key={i} value={x.code}>
                          {tierName(i)}
                        </option>
                      ))}
                    </SelectInput>
                  </LabeledControl>
                ) : null}
              </>
            ) : null}
          </div>
        </Card>
      </div>

      <PreviewPanel />

      {removing !== null ? (
        <div role="alertdialog" aria-labelledby="remove-title" className="fixed inset-0 z-30 flex items-center justify-center bg-gray-900/30 p-4" data-testid="remove-dialog">
          <div className="w-full max-w-md rounded-xl bg-white shadow-xl ring-1 ring-gray-200">
            <div className="space-y-3 px-6 pt-6 pb-4">
              <h2 id="remove-title" className="text-base font-semibold text-gray-900">
                {t("removeTitle", { name: tierName(removing) ?? "" })}
              </h2>
              <p className="text-sm text-gray-600">{t("removeBody", { count: memberCounts[tiers[removing]?.code ?? ""] ?? 0 })}</p>
              <label className="block text-sm font-medium text-gray-700" htmlFor="move-to">
                {t("moveTo")}
              </label>
              <select id="move-to" autoFocus className={inputClasses()} value={destination} onChange={(e) => setDestination(e.target.value)} data-testid="move-to">
                {tiers.map((x, j) =>
                  j === removing ? null : (
                    <option key={j} value={x.code}>
                      {tierName(j)}
                    </option>
                  ),
                )}
              </select>
            </div>
            <div className="flex justify-end gap-2 rounded-b-xl bg-gray-50 px-6 py-3">
              <Button variant="secondary" onClick={() => setRemoving(null)}>
                {tc("cancel")}
              </Button>
              <Button
                variant="danger"
                data-testid="confirm-remove"
                onClick={() => {
                  const from = tiers[removing].code ?? "";
                  setTierMoves([...tierMoves.filter((m) => m.from !== from), { from, to: destination }]);
                  remove(removing);
                  setRemoving(null);
                }}
              >
                {t("remove")}
              </Button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

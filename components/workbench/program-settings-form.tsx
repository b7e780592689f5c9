"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { programSettingsInput, type ProgramSettingsInput } from "@/lib/schemas/workbench";
import { saveProgramSettingsAction } from "@/lib/workbench/actions";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, FormAlert, Input, describedBy } from "@/components/ui/field";
import { useHydrated } from "@/components/forms/use-hydrated";
import { useAppLocale, useErrorText } from "./program-form";
import { localizedResolver } from "@/components/forms/localized-resolver";
import { TimeZoneSelect } from "@/components/settings/time-zone-select";
import type { TimeZoneOption } from "@/lib/util/time-zones";

type Out = z.output<typeof programSettingsInput>;

/** Settings → Program (owners edit, others read): time zone, lifecycle day counts, operating costs per month. */
export function ProgramSettingsForm({ initial, readOnly, zones }: { initial: ProgramSettingsInput; readOnly: boolean; zones: TimeZoneOption[] }) {
  const t = useTranslations("workbench.settings");
  const tf = useTranslations("workbench.form");
  const errorText = useErrorText();
  const locale = useAppLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const [saved, setSaved] = useState<number | null>(null);
  const { register, control, handleSubmit, reset, setError, formState } = useForm<ProgramSettingsInput, unknown, Out>({ resolver: localizedResolver(programSettingsInput, locale), defaultValues: initial });
  const { errors, isDirty, isSubmitting } = formState;
  useEffect(() => {
    if (!isDirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [isDirty]);
  const err = (path: string, e: { type?: unknown; message?: string } | undefined) => (e?.message ? errorText(path, String(e.type ?? ""), e.message) : undefined);
  const onSubmit = handleSubmit(async (values) => {
    setSaved(null);
    const r = await saveProgramSettingsAction(values);
    if (!r.ok) {
      const entries = Object.entries(r.error.fieldErrors);
      for (const [path, message] of entries) setError(path as never, { type: "server", message });
      if (!entries.length) setError("root", { type: "server", message: r.error.message });
      return;
    }
    reset(values);
    setSaved(r.data.version);
    router.refresh();
  });
  const num = { setValueAs: (v: unknown) => (v === "" ? undefined : Number(v)) };
  const lifecycle = ["newDays", "dormantDays", "lostDays"] as const;
  const costs = ["toolFen", "labourFen", "otherFen"] as const;
  return (
    <form onSubmit={onSubmit} noValidate data-testid="program-settings-form">
      <Card aria-labelledby="program-settings-heading">
        <CardHeader id="program-settings-heading" title={t("title")} description={readOnly ? t("ownerOnly") : t("description")} />
        <fieldset disabled={readOnly} className="grid gap-5 px-5 py-4 md:grid-cols-3">
          {errors.root?.message ? (
            <div className="md:col-span-3">
              <FormAlert>{errors.root.message}</FormAlert>
            </div>
          ) : null}
          <Field id="tz" label={t("timeZone")} error={err("timeZone", errors.timeZone)} hint={t("timeZoneHint")}>
            <Controller
              control={control}
              name="timeZone"
              render={({ field }) => (
                <TimeZoneSelect
                  id="tz"
                  zones={zones}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  ref={field.ref}
                  invalid={!!errors.timeZone}
                  disabled={readOnly}
                  describedBy={describedBy("tz", err("timeZone", errors.timeZone), true)}
                />
              )}
            />
          </Field>
          <div className="grid grid-cols-3 gap-3 md:col-span-2">
            {lifecycle.map((k) => (
              <Field key={k} id={`lc-${k}`} label={t(`lifecycle.${k}`)} error={err(k, errors.lifecycle?.[k])}>
                <Input id={`lc-${k}`} type="number" min={1} invalid={!!errors.lifecycle?.[k]} {...register(`lifecycle.${k}`, num)} />
              </Field>
            ))}
          </div>
          <p className="text-sm font-medium text-gray-700 md:col-span-3">{t("costs")}</p>
          {costs.map((k) => (
            <Field key={k} id={`cost-${k}`} label={t(`costFields.${k}`)} error={err(k, errors.costs?.[k])}>
              <Controller
                control={control}
                name={`costs.${k}`}
                render={({ field }) => (
                  <Input
                    id={`cost-${k}`}
                    type="number"
                    min={0}
                    step="0.01"
                    invalid={!!errors.costs?.[k]}
                    value={field.value === undefined ? "" : Number(field.value) / 100}
                    onChange={(e) => field.onChange(e.target.value === "" ? 0 : Math.round(Number(e.target.value) * 100))}
                    onBlur={field.onBlur}
                    ref={field.ref}
                  />
                )}
              />
            </Field>
          ))}
        </fieldset>
        {readOnly ? null : (
          <div className="flex items-center justify-end gap-3 border-t border-gray-100 px-5 py-3">
            <p role="status" className="mr-auto text-sm" data-testid="settings-status">
              {saved !== null ? <span className="text-emerald-700">{tf("saved", { version: saved })}</span> : isDirty ? <span className="text-amber-700">{tf("unsaved")}</span> : null}
            </p>
            <Button type="submit" disabled={!hydrated || isSubmitting || !isDirty} data-testid="save-settings">
              {isSubmitting ? tf("saving") : tf("save")}
            </Button>
          </div>
        )}
      </Card>
    </form>
  );
}

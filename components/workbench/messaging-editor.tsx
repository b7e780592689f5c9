"use client";
import clsx from "clsx";
import { useTranslations } from "next-intl";
import { useWatch } from "react-hook-form";
import { messageChannels, templateVariables, type MessagingRules } from "@/lib/schemas/messages";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { inputClasses } from "@/components/ui/field";
import { LabeledControl, NumberInput, SelectInput, TextInput } from "./controls";
import { ErrorText, useEditor, useProgramForm, useFieldInvalid } from "./program-form";

/** A template text (zh or en), a textarea bound to its program path. */
function TemplateText({ name, id, label }: { name: string; id: string; label: string }) {
  const { register } = useProgramForm();
  const invalid = useFieldInvalid(name);
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-gray-600">{label}</label>
      <textarea id={id} rows={2} aria-invalid={invalid || undefined} className={clsx(inputClasses(invalid), "text-sm")} {...register(name as never)} />
      <ErrorText name={name} />
    </div>
  );
}

/** Message templates, the per-member frequency cap and quiet hours: part of the program, saved with it. */
export function MessagingEditor() {
  const t = useTranslations("messaging");
  const { control, setValue, getValues, register } = useProgramForm();
  const { readOnly } = useEditor();
  const messaging = (useWatch({ control, name: "messaging" }) ?? {}) as Partial<MessagingRules>;
  const templates = messaging.templates ?? [];
  const set = <K extends keyof MessagingRules>(k: K, v: MessagingRules[K]) => setValue(`messaging.${k}` as never, v as never, { shouldDirty: true });
  const addTemplate = () =>
    set("templates", [
      ...((getValues("messaging.templates") ?? []) as MessagingRules["templates"]),
      { code: `message_${templates.length + 1}`, channel: "sms", text: { zh: "{memberName}您好，", en: "Hello {memberName}, " } },
    ]);

  return (
    <Card aria-labelledby="messaging-heading" className="mb-6">
      <CardHeader id="messaging-heading" title={t("title")} description={t("description")} />
      <CardBody className="space-y-5">
        <div className="grid gap-4 md:grid-cols-3" data-testid="messaging-rules">
          <div className="rounded-lg bg-gray-50 p-3 ring-1 ring-gray-200">
            <label className="flex items-center gap-2 text-sm font-medium text-gray-900">
              <input type="checkbox" disabled={readOnly} checked={messaging.frequencyCap != null} data-testid="cap-enabled"
                onChange={(e) => set("frequencyCap", e.target.checked ? { max: 3, days: 7 } : null)} />
              {t("cap")}
            </label>
            {messaging.frequencyCap ? (
              <div className="mt-2 flex items-end gap-2 text-sm">
                <LabeledControl label={t("capMax")} name="messaging.frequencyCap.max" htmlFor="cap-max" className="w-24">
                  <NumberInput name="messaging.frequencyCap.max" id="cap-max" min={1} max={100} />
                </LabeledControl>
                <LabeledControl label={t("capDays")} name="messaging.frequencyCap.days" htmlFor="cap-days" className="w-24">
                  <NumberInput name="messaging.frequencyCap.days" id="cap-days" min={1} max={365} />
                </LabeledControl>
              </div>
            ) : (
              <p className="mt-2 text-xs text-gray-500">{t("capOff")}</p>
            )}
            {messaging.frequencyCap ? <p className="mt-2 text-xs text-gray-500" data-testid="cap-summary">{t("capSummary", { max: messaging.frequencyCap.max, days: messaging.frequencyCap.days })}</p> : null}
          </div>
          <div className="rounded-lg bg-gray-50 p-3 ring-1 ring-gray-200">
            <label className="flex items-center gap-2 text-sm font-medium text-gray-900">
              <input type="checkbox" disabled={readOnly} checked={messaging.quietHours != null} data-testid="quiet-enabled"
                onChange={(e) => set("quietHours", e.target.checked ? { from: "21:00", to: "09:00" } : null)} />
              {t("quiet")}
            </label>
            {messaging.quietHours ? (
              <div className="mt-2 flex items-end gap-2 text-sm">
                <LabeledControl label={t("quietFrom")} name="messaging.quietHours.from" htmlFor="quiet-from" className="w-28">
                  <input id="quiet-from" type="time" className={inputClasses()} {...register("messaging.quietHours.from" as never)} />
                </LabeledControl>
                <LabeledControl label={t("quietTo")} name="messaging.quietHours.to" htmlFor="quiet-to" className="w-28">
                  <input id="quiet-to" type="time" className={inputClasses()} {...register("messaging.quietHours.to" as never)} />
                </LabeledControl>
              </div>
            ) : (
              <p className="mt-2 text-xs text-gray-500">{t("quietOff")}</p>
            )}
            {messaging.quietHours ? <p className="mt-2 text-xs text-gray-500" data-testid="quiet-summary">{t("quietSummary", { from: messaging.quietHours.from, to: messaging.quietHours.to })}</p> : null}
          </div>
          <div className="rounded-lg bg-gray-50 p-3 ring-1 ring-gray-200">
            <LabeledControl label={t("locale")} name="messaging.defaultLocale" htmlFor="msg-locale">
              <SelectInput name="messaging.defaultLocale" id="msg-locale">
                <option value="zh">{t("locales.zh")}</option>
                <option value="en">{t("locales.en")}</option>
              </SelectInput>
            </LabeledControl>
            <p className="mt-2 text-xs text-gray-500">{t("localeHint")}</p>
          </div>
        </div>

        <div>
          <div className="mb-2 flex items-center justify-between gap-4">
            <h3 className="text-sm font-semibold text-gray-900">{t("templates")}</h3>
            {readOnly ? null : (
              <Button variant="secondary" size="sm" data-testid="add-template" onClick={addTemplate}>
                + {t("addTemplate")}
              </Button>
            )}
          </div>
          <p className="mb-3 text-xs text-gray-500">
            {t("variables")} {templateVariables.map((v) => <code key={v} className="mr-1 rounded bg-gray-100 px-1">{`{${v}}`}</code>)}
          </p>
          {templates.length === 0 ? <p className="text-sm text-gray-500">{t("noTemplates")}</p> : null}
          <ul className="space-y-3">
            {templates.map((tpl, i) => (
              <li key={i} className="grid gap-3 rounded-lg p-3 ring-1 ring-gray-200 lg:grid-cols-[12rem_1fr_1fr_auto]" data-testid={`template-${tpl.code}`}>
                <div className="space-y-2">
                  <LabeledControl label={t("code")} name={`messaging.templates.${i}.code`} htmlFor={`tpl${i}-code`}>
                    <TextInput name={`messaging.templates.${i}.code`} id={`tpl${i}-code`} className="font-mono text-xs" />
                  </LabeledControl>
                  <LabeledControl label={t("channel")} name={`messaging.templates.${i}.channel`} htmlFor={`tpl${i}-channel`}>
                    <SelectInput name={`messaging.templates.${i}.channel`} id={`tpl${i}-channel`}>
                      {messageChannels.map((c) => (
                        <option key={c} value={c}>{t(`channels.${c}`)}</option>
                      ))}
                    </SelectInput>
                  </LabeledControl>
                </div>
                <TemplateText name={`messaging.templates.${i}.text.zh`} id={`tpl${i}-zh`} label={t("textZh")} />
                <TemplateText name={`messaging.templates.${i}.text.en`} id={`tpl${i}-en`} label={t("textEn")} />
                {readOnly ? null : (
                  <Button variant="ghost" size="sm" className="self-start text-red-600" onClick={() => set("templates", templates.filter((_, k) => k !== i))}>
                    {t("deleteTemplate")}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </div>
      </CardBody>
    </Card>
  );
}

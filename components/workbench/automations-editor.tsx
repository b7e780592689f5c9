"use client";
import clsx from "clsx";
import { useLocale, useTranslations } from "next-intl";
import { useWatch } from "react-hook-form";
import type { Program } from "@/lib/schemas/program";
import type { MessageCounts } from "@/lib/messages/stats";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { inputClasses } from "@/components/ui/field";
import { NumberInput, TextInput } from "./controls";
import { ErrorText, useEditor, useProgramForm } from "./program-form";

type Automation = Program["automations"][number];
type Trigger = Automation["trigger"];
type Action = Automation["actions"][number];
const triggerKinds = ["registered", "tierUpgraded", "birthdayInDays", "noOrderForDays", "pointsExpiringInDays", "membershipExpiringInDays"] as const;
const actionKinds = ["grantRight", "bonusPoints", "message"] as const;

export function AutomationsEditor({ firings, messages = {} }: { firings: Record<string, { count: number; last: string | null }>; messages?: Record<string, MessageCounts> }) {
  const t = useTranslations("workbench.automations");
  const tm = useTranslations("messaging");
  const tc = useTranslations("programCodes");
  const locale = useLocale();
  const { control, setValue, getValues } = useProgramForm();
  const { readOnly, quickSave } = useEditor();
  const automations = (useWatch({ control, name: "automations" }) ?? []) as Automation[];
  const rights = (useWatch({ control, name: "rights" }) ?? []) as Program["rights"];
  const templates = (useWatch({ control, name: "messaging.templates" }) ?? []) as Program["messaging"]["templates"];
  const set = (i: number, a: Automation) => {
    const all = [...(getValues("automations") as Automation[])];
    all[i] = a;
    setValue("automations", all as never, { shouldDirty: true });
  };
  const setTrigger = (i: number, kind: Trigger["kind"]) =>
    set(i, { ...automations[i], trigger: kind === "registered" || kind === "tierUpgraded" ? { kind } : { kind, days: kind === "birthdayInDays" ? 7 : 30 } });
  const setAction = (i: number, j: number, a: Action) => set(i, { ...automations[i], actions: automations[i].actions.map((x, k) => (k === j ? a : x)) });
  const newAction = (kind: Action["kind"]): Action =>
    kind === "grantRight" ? { kind, rightCode: rights[0]?.code ?? "" } : kind === "bonusPoints" ? { kind, points: 100 } : { kind, template: templates[0]?.code ?? "message" };
  const rightName = (code: string) => {
    const r = rights.find((x) => x.code === code);
    return r ? (locale === "en" ? r.name.en : r.name.zh) : code;
  };
  const total = Object.values(firings).reduce((s, f) => s + f.count, 0);

  return (
    <Card aria-labelledby="automations-heading">
      <CardHeader
        id="automations-heading"
        title={t("title")}
        description={t("description", { total })}
        actions={
          readOnly ? null : (
            <Button
              variant="secondary"
              data-testid="add-automation"
              onClick={() =>
                setValue(
                  "automations",
                  [...automations, { code: "", name: { zh: "", en: "" }, trigger: { kind: "registered" }, actions: [{ kind: "bonusPoints", points: 100 }], cooldownDays: null, enabled: true }] as never,
                  { shouldDirty: true },
                )
              }
            >
              + {t("add")}
            </Button>
          )
        }
      />
      <ul className="divide-y divide-gray-100">
        {automations.map((a, i) => {
          const fired = firings[a.code];
          const tr = a.trigger;
          return (
            <li key={i} className={clsx("grid gap-4 px-5 py-4 lg:grid-cols-[minmax(0,15rem)_1fr_7rem]", a.enabled === false && "bg-gray-50/70")} data-testid={`automation-${a.code}`}>
              <div className="space-y-2">
                <label className="flex items-center gap-2 text-sm font-medium text-gray-900">
                  <input type="checkbox" checked={a.enabled !== false} onChange={(e) => {
                      // Saved at once when the automation is saved already; a new one's switch waits for Save.
                      if (!quickSave({ kind: "automationEnabled", code: a.code, enabled: e.target.checked })) set(i, { ...a, enabled: e.target.checked });
                    }} aria-label={t("enableNamed", { name: a.name.zh || a.code })} data-testid={`toggle-${a.code}`} />
                  {(locale === "en" ? a.name.en : a.name.zh) || a.code}
                  {a.enabled === false ? <Badge>{t("off")}</Badge> : <Badge tone="green">{t("on")}</Badge>}
                </label>
                <div className="grid grid-cols-2 gap-2">
                  <TextInput name={`automations.${i}.name.zh`} id={`a${i}-zh`} aria-label={t("nameZh")} placeholder={t("nameZh")} />
                  <TextInput name={`automations.${i}.name.en`} id={`a${i}-en`} aria-label={t("nameEn")} placeholder={tc("enOptional")} />
                </div>
                <ErrorText name={`automations.${i}.name.zh`} />
                <ErrorText name={`automations.${i}.name.en`} />
                <TextInput name={`automations.${i}.code`} id={`a${i}-code`} aria-label={t("code")} placeholder={tc("codeAuto")} className="font-mono text-xs" />
                <ErrorText name={`automations.${i}.code`} />
              </div>
              <div className="grid items-start gap-2 text-sm xl:grid-cols-2">
                <div className="rounded-lg bg-gray-50 p-2 ring-1 ring-gray-200">
                  <p className="mb-1 text-xs font-medium text-gray-500">{t("when")} →</p>
                  <div className="flex gap-2">
                    <select className={clsx(inputClasses(), "min-w-0 flex-1")} aria-label={t("trigger")} value={tr.kind} onChange={(e) => setTrigger(i, e.target.value as Trigger["kind"])}>
                      {triggerKinds.map((k) => (
                        <option key={k} value={k}>{t(`triggers.${k}`)}</option>
                      ))}
                    </select>
                    {"days" in tr ? (
                      <div className="w-24">
                        <NumberInput name={`automations.${i}.trigger.days`} id={`a${i}-days`} min={0} aria-label={t("days")} />
                        <ErrorText name={`automations.${i}.trigger.days`} />
                      </div>
                    ) : null}
                  </div>
                  <div className="mt-2 flex items-center gap-2">
                    <label htmlFor={`a${i}-cooldown`} className="text-xs text-gray-500">{t("cooldown")}</label>
                    <NumberInput name={`automations.${i}.cooldownDays`} id={`a${i}-cooldown`} nullable min={1} className="w-20!" />
                  </div>
                </div>
                <div className="space-y-2 rounded-lg bg-accent-50/60 p-2 ring-1 ring-accent-100">
                  <p className="text-xs font-medium text-gray-500">{t("then")}</p>
                  {a.actions.map((act, j) => (
                    <div key={j} className="flex gap-2">
                      <select className={clsx(inputClasses(), "w-32! shrink-0")} aria-label={t("action")} value={act.kind} onChange={(e) => setAction(i, j, newAction(e.target.value as Action["kind"]))}>
                        {actionKinds.map((k) => (
                          <option key={k} value={k}>{t(`actions.${k}`)}</option>
                        ))}
                      </select>
                      {act.kind === "grantRight" ? (
                        <select className={clsx(inputClasses(), "min-w-0 flex-1")} aria-label={t("right")} value={act.rightCode} onChange={(e) => setAction(i, j, { ...act, rightCode: e.target.value })}>
                          {rights.map((r) => (
                            <option key={r.code} value={r.code}>{rightName(r.code)}</option>
                          ))}
                        </select>
                      ) : act.kind === "bonusPoints" ? (
                        <div className="min-w-0 flex-1">
                          <NumberInput name={`automations.${i}.actions.${j}.points`} id={`a${i}-act${j}-points`} min={1} aria-label={t("points")} />
                        </div>
                      ) : templates.length ? (
                        <div className="min-w-0 flex-1">
                          <select className={clsx(inputClasses(), "w-full")} aria-label={t("template")} value={act.template} onChange={(e) => setAction(i, j, { ...act, template: e.target.value })} data-testid={`a${i}-act${j}-template`}>
                            {templates.some((x) => x.code === act.template) ? null : <option value={act.template}>{act.template}</option>}
                            {templates.map((x) => (
                              <option key={x.code} value={x.code}>{`${x.code} · ${tm(`channels.${x.channel}`)}`}</option>
                            ))}
                          </select>
                          <ErrorText name={`automations.${i}.actions.${j}.template`} />
                        </div>
                      ) : (
                        <div className="min-w-0 flex-1">
                          <TextInput name={`automations.${i}.actions.${j}.template`} id={`a${i}-act${j}-template`} aria-label={t("template")} />
                          <ErrorText name={`automations.${i}.actions.${j}.template`} />
                        </div>
                      )}
                      {readOnly || a.actions.length <= 1 ? null : (
                        <Button variant="ghost" size="sm" aria-label={t("removeAction")} onClick={() => set(i, { ...a, actions: a.actions.filter((_, k) => k !== j) })}>✕</Button>
                      )}
                    </div>
                  ))}
                  {readOnly || a.actions.length >= 5 ? null : (
                    <Button variant="ghost" size="sm" onClick={() => set(i, { ...a, actions: [...a.actions, newAction("bonusPoints")] })}>+ {t("addAction")}</Button>
                  )}
                </div>
              </div>
              <div className="flex flex-col items-end gap-2 text-right">
                <p className="text-2xl font-semibold text-gray-900 tabular-nums" data-testid={`fired-${a.code}`}>{fired?.count ?? 0}</p>
                <p className="text-xs text-gray-500">{fired?.last ? t("firedLast", { date: fired.last }) : t("neverFired")}</p>
                {a.actions.some((x) => x.kind === "message") ? <MessageCountsNote counts={messages[a.code]} code={a.code} /> : null}
                {readOnly ? null : (
                  <Button variant="ghost" size="sm" className="text-red-600" onClick={() => setValue("automations", automations.filter((_, k) => k !== i) as never, { shouldDirty: true })}>
                    {t("delete")}
                  </Button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {automations.length === 0 ? <p className="px-5 py-8 text-center text-sm text-gray-500">{t("empty")}</p> : null}
    </Card>
  );
}

/** An automation's messages over the last 30 days: sent, held by the quiet hours, capped. */
function MessageCountsNote({ counts, code }: { counts: MessageCounts | undefined; code: string }) {
  const t = useTranslations("messaging");
  const c = counts ?? { sent: 0, held: 0, waiting: 0, capped: 0, pending: 0 };
  return (
    <dl className="grid grid-cols-3 gap-x-2 text-right text-xs text-gray-500" data-testid={`messages-${code}`} aria-label={t("last30")}>
      <dt className="col-span-3 font-medium text-gray-600">{t("last30")}</dt>
      <div><dt>{t("sent")}</dt><dd className="font-semibold text-gray-900 tabular-nums" data-testid={`sent-${code}`}>{c.sent}</dd></div>
      <div><dt>{t("held")}</dt><dd className="font-semibold text-amber-700 tabular-nums" data-testid={`held-${code}`}>{c.held}</dd></div>
      <div><dt>{t("capped")}</dt><dd className="font-semibold text-red-700 tabular-nums" data-testid={`capped-${code}`}>{c.capped}</dd></div>
      {c.waiting + c.pending > 0 ? <dd className="col-span-3">{t("waiting", { n: c.waiting + c.pending })}</dd> : null}
    </dl>
  );
}

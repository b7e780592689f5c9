"use client";
import clsx from "clsx";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { useWatch } from "react-hook-form";
import { campaignApplies } from "@/lib/engine/rules";
import type { Program } from "@/lib/schemas/program";
import { addMonths, daysInMonth, isoWeekday, pad } from "@/lib/util/dates";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { inputClasses } from "@/components/ui/field";
import { ErrorText, useEditor, useProgramForm } from "./program-form";
import { codeFromName } from "@/lib/program/codes";
import { formatDiscount } from "@/lib/format/rates";

type Campaign = Program["campaigns"][number];
type Schedule = Campaign["schedule"];
type Effect = Campaign["effect"];

const palette = ["#6366F1", "#D97706", "#059669", "#DB2777", "#0891B2", "#7C3AED", "#DC2626", "#65A30D"];

/** Is the campaign on this date for some member (tier targeting aside; birthday months shown apart)? */
function onDate(c: Campaign, date: string) {
  if (c.schedule.kind === "birthdayMonth") return false;
  return campaignApplies(c, date, c.targetTiers[0] ?? "", null);
}

function useDescribe() {
  const t = useTranslations("workbench.campaigns");
  const locale = useLocale();
  return {
    schedule: (s: Schedule) =>
      s.kind === "range" ? (s.from === s.to ? t("sched.day", { date: s.from }) : t("sched.range", { from: s.from, to: s.to })) : s.kind === "monthlyDay" ? t("sched.monthlyDay", { day: s.day }) : s.kind === "weekday" ? t("sched.weekday", { day: t(`weekdays.${s.weekday}`) }) : t("sched.birthdayMonth"),
    effect: (e: Effect) =>
      e.kind === "pointsMultiplier" ? t("eff.pointsMultiplier", { x: e.pct / 100 }) : e.kind === "bonusPoints" ? t("eff.bonusPoints", { points: e.points }) : e.kind === "extraDiscount" ? t("eff.extraDiscount", { zhe: formatDiscount(e.pct, locale) }) : t("eff.grantRight", { right: e.rightCode }),
  };
}

/** The rule that resolves overlapping campaigns on one day, for the kinds that overlap. */
function overlapRule(cs: Campaign[], t: (k: string) => string) {
  const kinds = new Set(cs.map((c) => c.effect.kind));
  const rules: string[] = [];
  if (kinds.has("pointsMultiplier")) rules.push(t("rules.multiplier"));
  if (kinds.has("bonusPoints")) rules.push(t("rules.bonus"));
  if (kinds.has("extraDiscount") || kinds.has("grantRight")) rules.push(t("rules.independent"));
  return rules.join(" ");
}

function CampaignDialog({ initial, index, onClose }: { initial: Campaign; index: number | null; onClose: () => void }) {
  const t = useTranslations("workbench.campaigns");
  const tc = useTranslations("programCodes");
  const locale = useLocale();
  const { getValues, setValue } = useProgramForm();
  const [c, setC] = useState<Campaign>(initial);
  const tiers = getValues("tiers") as Program["tiers"];
  const rights = getValues("rights") as Program["rights"];
  const date = initial.schedule.kind === "range" ? initial.schedule.from : null;
  const setSchedule = (kind: Schedule["kind"]) => {
    const d = date ?? "2026-01-01";
    setC({ ...c, schedule: kind === "range" ? { kind, from: d, to: d } : kind === "monthlyDay" ? { kind, day: Number(d.slice(8, 10)) } : kind === "weekday" ? { kind, weekday: isoWeekday(d) } : { kind } });
  };
  const setEffect = (kind: Effect["kind"]) =>
    setC({ ...c, effect: kind === "pointsMultiplier" ? { kind, pct: 200 } : kind === "bonusPoints" ? { kind, points: 100 } : kind === "extraDiscount" ? { kind, pct: 10 } : { kind, rightCode: rights[0]?.code ?? "" } });
  const save = () => {
    const all = [...(getValues("campaigns") as Campaign[])];
    // No code typed: one from the Chinese name's pinyin, unique among the other campaigns.
    const taken = new Set(all.filter((_, i) => i !== index).map((x) => x.code));
    const done = c.code.trim() ? { ...c, code: c.code.trim() } : { ...c, code: codeFromName(c.name, taken, "campaign") };
    if (index === null) all.push(done);
    else all[index] = done;
    setValue("campaigns", all as never, { shouldDirty: true });
    onClose();
  };
  const num = (v: string) => Math.trunc(Number(v) || 0);
  const s = c.schedule;
  const e = c.effect;
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="campaign-dialog-title" className="fixed inset-0 z-30 flex items-center justify-center bg-gray-900/30 p-4" data-testid="campaign-dialog">
      <div className="max-h-full w-full max-w-lg overflow-y-auto rounded-xl bg-white shadow-xl ring-1 ring-gray-200">
        <div className="space-y-3 px-6 pt-6 pb-4">
          <h2 id="campaign-dialog-title" className="text-base font-semibold text-gray-900">
            {index === null ? t("create") : t("edit")}
          </h2>
          <div className="grid grid-cols-2 gap-3">
            <div>
              <label htmlFor="c-zh" className="mb-1 block text-xs font-medium text-gray-600">{t("nameZh")}</label>
              <input id="c-zh" autoFocus className={inputClasses()} value={c.name.zh} onChange={(ev) => setC({ ...c, name: { ...c.name, zh: ev.target.value } })} />
            </div>
            <div>
              <label htmlFor="c-en" className="mb-1 block text-xs font-medium text-gray-600">{t("nameEn")}</label>
              <input id="c-en" className={inputClasses()} placeholder={tc("enOptional")} value={c.name.en} onChange={(ev) => setC({ ...c, name: { ...c.name, en: ev.target.value } })} />
            </div>
            <div>
              <label htmlFor="c-code" className="mb-1 block text-xs font-medium text-gray-600">{t("code")}</label>
              <input id="c-code" className={clsx(inputClasses(), "font-mono")} placeholder={tc("codeAuto")} value={c.code} onChange={(ev) => setC({ ...c, code: ev.target.value })} />
            </div>
            <div>
              <label htmlFor="c-schedule" className="mb-1 block text-xs font-medium text-gray-600">{t("schedule")}</label>
              <select id="c-schedule" className={inputClasses()} value={s.kind} onChange={(ev) => setSchedule(ev.target.value as Schedule["kind"])}>
                {(["range", "monthlyDay", "weekday", "birthdayMonth"] as const).map((k) => (
                  <option key={k} value={k}>{t(`kinds.${k}`)}</option>
                ))}
              </select>
            </div>
            {s.kind === "range" ? (
              <>
                <div>
                  <label htmlFor="c-from" className="mb-1 block text-xs font-medium text-gray-600">{t("from")}</label>
                  <input id="c-from" type="date" className={inputClasses()} value={s.from} onChange={(ev) => setC({ ...c, schedule: { ...s, from: ev.target.value } })} />
                </div>
                <div>
                  <label htmlFor="c-to" className="mb-1 block text-xs font-medium text-gray-600">{t("to")}</label>
                  <input id="c-to" type="date" className={inputClasses()} value={s.to} onChange={(ev) => setC({ ...c, schedule: { ...s, to: ev.target.value } })} />
                </div>
              </>
            ) : s.kind === "monthlyDay" ? (
              <div>
                <label htmlFor="c-day" className="mb-1 block text-xs font-medium text-gray-600">{t("dayOfMonth")}</label>
                <input id="c-day" type="number" min={1} max={31} className={inputClasses()} value={s.day} onChange={(ev) => setC({ ...c, schedule: { ...s, day: num(ev.target.value) } })} />
              </div>
            ) : s.kind === "weekday" ? (
              <div>
                <label htmlFor="c-weekday" className="mb-1 block text-xs font-medium text-gray-600">{t("weekday")}</label>
                <select id="c-weekday" className={inputClasses()} value={s.weekday} onChange={(ev) => setC({ ...c, schedule: { ...s, weekday: num(ev.target.value) } })}>
                  {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                    <option key={d} value={d}>{t(`weekdays.${d}`)}</option>
                  ))}
                </select>
              </div>
            ) : null}
          </div>
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-gray-600">{t("targets")}</legend>
            <div className="flex flex-wrap gap-3">
              {tiers.map((tier) => (
                <label key={tier.code} className="flex items-center gap-1.5 text-sm text-gray-700">
                  <input
                    type="checkbox"
                    checked={c.targetTiers.includes(tier.code)}
                    onChange={(ev) => setC({ ...c, targetTiers: ev.target.checked ? [...c.targetTiers, tier.code] : c.targetTiers.filter((x) => x !== tier.code) })}
                  />
                  {(locale === "en" ? tier.name.en : tier.name.zh) || tier.code}
                </label>
              ))}
            </div>
            <p className="mt-1 text-xs text-gray-500">{t("targetsHelp")}</p>
          </fieldset>
          <div className="grid grid-cols-2 gap-3">
            <div>
              <label htmlFor="c-effect" className="mb-1 block text-xs font-medium text-gray-600">{t("effect")}</label>
              <select id="c-effect" className={inputClasses()} value={e.kind} onChange={(ev) => setEffect(ev.target.value as Effect["kind"])}>
                {(["pointsMultiplier", "bonusPoints", "extraDiscount", "grantRight"] as const).map((k) => (
                  <option key={k} value={k}>{t(`effects.${k}`)}</option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="c-effect-value" className="mb-1 block text-xs font-medium text-gray-600">{t(`effectValue.${e.kind}`)}</label>
              {e.kind === "grantRight" ? (
                <select id="c-effect-value" className={inputClasses()} value={e.rightCode} onChange={(ev) => setC({ ...c, effect: { ...e, rightCode: ev.target.value } })}>
                  {rights.map((r) => (
                    <option key={r.code} value={r.code}>{(locale === "en" ? r.name.en : r.name.zh) || r.code}</option>
                  ))}
                </select>
              ) : (
                <input
                  id="c-effect-value"
                  type="number"
                  className={inputClasses()}
                  value={e.kind === "bonusPoints" ? e.points : e.pct}
                  onChange={(ev) => setC({ ...c, effect: e.kind === "bonusPoints" ? { ...e, points: num(ev.target.value) } : { ...e, pct: num(ev.target.value) } })}
                />
              )}
            </div>
          </div>
          <label className="flex items-center gap-2 text-sm text-gray-700">
            <input type="checkbox" checked={c.enabled !== false} onChange={(ev) => setC({ ...c, enabled: ev.target.checked })} />
            {t("enabled")}
          </label>
        </div>
        <div className="flex justify-end gap-2 rounded-b-xl bg-gray-50 px-6 py-3">
          <Button variant="secondary" onClick={onClose}>{t("cancel")}</Button>
          <Button onClick={save} data-testid="campaign-apply" disabled={!c.name.zh.trim()}>
            {t("apply")}
          </Button>
        </div>
      </div>
    </div>
  );
}

export function CampaignsEditor({ today }: { today: string }) {
  const t = useTranslations("workbench.campaigns");
  const locale = useLocale();
  const describe = useDescribe();
  const { control, getValues, setValue } = useProgramForm();
  const { readOnly, quickSave } = useEditor();
  const campaigns = (useWatch({ control, name: "campaigns" }) ?? []) as Campaign[];
  const [view, setView] = useState<"month" | "list">("month");
  const [month, setMonth] = useState(today.slice(0, 7));
  const [dialog, setDialog] = useState<{ initial: Campaign; index: number | null } | null>(null);
  const colour = (i: number) => palette[i % palette.length];
  const name = (c: Campaign) => (locale === "en" ? c.name.en : c.name.zh) || c.code;

  const first = `${month}-01`;
  const lead = isoWeekday(first) - 1;
  const days = Array.from({ length: daysInMonth(first) }, (_, i) => `${month}-${pad(i + 1)}`);
  const birthday = campaigns.map((c, i) => ({ c, i })).filter(({ c }) => c.schedule.kind === "birthdayMonth" && c.enabled !== false);
  const [y, m] = month.split("-").map(Number);
  const monthLabel = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));

  const openNew = (date: string) => {
    if (readOnly) return;
    setDialog({ initial: { code: "", name: { zh: "", en: "" }, schedule: { kind: "range", from: date, to: date }, targetTiers: [], effect: { kind: "pointsMultiplier", pct: 200 }, enabled: true }, index: null });
  };
  const overlapsOf = (c: Campaign, idx: number) => {
    // Another enabled campaign in force on one of the next 366 days; a birthday-month campaign
    // overlaps every dated one (some member's birthday month contains every date).
    const others: Campaign[] = [];
    const add = (o: Campaign) => {
      if (!others.includes(o)) others.push(o);
    };
    for (const [j, o] of campaigns.entries()) {
      if (j === idx || o.enabled === false) continue;
      if ((c.schedule.kind === "birthdayMonth") !== (o.schedule.kind === "birthdayMonth")) add(o);
    }
    if (c.schedule.kind !== "birthdayMonth")
      for (let d = 0; d < 366; d++) {
        const date = new Date(Date.parse(`${today}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
        if (!onDate(c, date)) continue;
        for (const [j, o] of campaigns.entries()) if (j !== idx && o.enabled !== false && onDate(o, date)) add(o);
      }
    return others;
  };

  return (
    <div className="space-y-6">
      <Card aria-labelledby="calendar-heading">
        <CardHeader
          id="calendar-heading"
          title={view === "month" ? monthLabel : t("listTitle")}
          description={t("help")}
          actions={
            <div className="flex items-center gap-2">
              {view === "month" ? (
                <>
                  <Button variant="ghost" size="sm" onClick={() => setMonth(addMonths(first, -1).slice(0, 7))} aria-label={t("prev")} data-testid="prev-month">←</Button>
                  <Button variant="ghost" size="sm" onClick={() => setMonth(today.slice(0, 7))}>{t("thisMonth")}</Button>
                  <Button variant="ghost" size="sm" onClick={() => setMonth(addMonths(first, 1).slice(0, 7))} aria-label={t("next")} data-testid="next-month">→</Button>
                </>
              ) : null}
              <div role="group" aria-label={t("view")} className="flex rounded-md ring-1 ring-gray-300">
                {(["month", "list"] as const).map((v) => (
                  <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)} className={clsx("px-3 py-1.5 text-sm first:rounded-l-md last:rounded-r-md", view === v ? "bg-accent-600 text-white" : "bg-white text-gray-700 hover:bg-gray-50")}>
                    {t(`views.${v}`)}
                  </button>
                ))}
              </div>
            </div>
          }
        />
        {view === "month" ? (
          <div className="p-4" data-testid="calendar" data-month={month}>
            {birthday.length ? (
              <p className="mb-3 flex flex-wrap items-center gap-2 text-sm text-gray-600">
                {birthday.map(({ c, i }) => (
                  <span key={i} className="inline-flex items-center gap-1.5">
                    <span className="size-2.5 rounded-full" style={{ backgroundColor: colour(i) }} aria-hidden="true" />
                    {name(c)}
                  </span>
                ))}
                <span className="text-gray-500">{t("birthdayNote")}</span>
              </p>
            ) : null}
            <div className="grid grid-cols-7 gap-px overflow-hidden rounded-lg border border-gray-200 bg-gray-200 text-sm">
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <div key={d} className="bg-gray-50 px-2 py-1.5 text-center text-xs font-medium text-gray-500">{t(`weekdaysShort.${d}`)}</div>
              ))}
              {Array.from({ length: lead }, (_, i) => <div key={`pad-${i}`} className="bg-gray-50/60" />)}
              {days.map((date) => {
                const on = campaigns.map((c, i) => ({ c, i })).filter(({ c }) => c.enabled !== false && onDate(c, date));
                const overlap = on.length > 1;
                return (
                  <div
                    key={date}
                    role={readOnly ? undefined : "button"}
                    tabIndex={readOnly ? undefined : 0}
                    aria-label={readOnly ? undefined : t("createOn", { date })}
                    data-testid={`day-${date}`}
                    onClick={() => openNew(date)}
                    onKeyDown={(ev) => {
                      if (ev.key === "Enter" || ev.key === " ") {
                        ev.preventDefault();
                        openNew(date);
                      }
                    }}
                    className={clsx("min-h-24 bg-white p-1.5 text-left align-top", !readOnly && "cursor-pointer hover:bg-accent-50/40 focus:outline-2 focus:-outline-offset-2 focus:outline-accent-600", date === today && "ring-2 ring-accent-500 ring-inset")}
                  >
                    <div className="flex items-center justify-between">
                      <span className={clsx("text-xs", date === today ? "font-semibold text-accent-700" : "text-gray-500")}>{Number(date.slice(8))}</span>
                      {overlap ? (
                        <span title={overlapRule(on.map((x) => x.c), t)} data-testid={`overlap-${date}`} className="rounded bg-amber-100 px-1 text-[10px] font-medium text-amber-800">
                          {t("overlap")}
                        </span>
                      ) : null}
                    </div>
                    <ul className="mt-1 space-y-0.5">
                      {on.map(({ c, i }) => (
                        <li key={i}>
                          <button
                            type="button"
                            onClick={(ev) => {
                              ev.stopPropagation();
                              if (!readOnly) setDialog({ initial: structuredClone(getValues(`campaigns.${i}`) as Campaign), index: i });
                            }}
                            className="block w-full truncate rounded px-1.5 py-0.5 text-left text-xs font-medium text-white"
                            style={{ backgroundColor: colour(i) }}
                            title={`${name(c)} · ${describe.effect(c.effect)}`}
                          >
                            {name(c)}
                          </button>
                        </li>
                      ))}
                    </ul>
                  </div>
                );
              })}
            </div>
            {readOnly ? null : <p className="mt-2 text-xs text-gray-500">{t("clickHint")}</p>}
          </div>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="campaign-list">
              <thead>
                <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
                  <th className="py-2 pr-3 pl-5 font-medium">{t("name")}</th>
                  <th className="py-2 pr-3 font-medium">{t("schedule")}</th>
                  <th className="py-2 pr-3 font-medium">{t("targets")}</th>
                  <th className="py-2 pr-3 font-medium">{t("effect")}</th>
                  <th className="py-2 pr-3 font-medium">{t("overlaps")}</th>
                  <th className="py-2 pr-5 font-medium">{t("enabled")}</th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((c, i) => {
                  const others = c.enabled === false ? [] : overlapsOf(c, i);
                  return (
                    <tr key={i} className="border-b border-gray-100 align-top" data-testid={`campaign-row-${c.code}`}>
                      <td className="py-2.5 pr-3 pl-5">
                        <span className="mr-2 inline-block size-2.5 rounded-full" style={{ backgroundColor: colour(i) }} aria-hidden="true" />
                        <span className="font-medium text-gray-900">{name(c)}</span>
                        <span className="block pl-4.5 font-mono text-xs text-gray-400">{c.code}</span>
                        <ErrorText name={`campaigns.${i}.code`} />
                      </td>
                      <td className="py-2.5 pr-3">{describe.schedule(c.schedule)}<ErrorText name={`campaigns.${i}.schedule.to`} /></td>
                      <td className="py-2.5 pr-3">{c.targetTiers.length ? c.targetTiers.join("、") : t("allTiers")}</td>
                      <td className="py-2.5 pr-3">{describe.effect(c.effect)}</td>
                      <td className="py-2.5 pr-3 text-xs">
                        {others.length ? (
                          <span className="text-amber-800">
                            {others.map(name).join("、")} — {overlapRule([c, ...others], t)}
                          </span>
                        ) : (
                          <span className="text-gray-400">—</span>
                        )}
                      </td>
                      <td className="py-2.5 pr-5">
                        <div className="flex items-center gap-2">
                          <input
                            type="checkbox"
                            aria-label={t("enableNamed", { name: name(c) })}
                            checked={c.enabled !== false}
                            data-testid={`campaign-toggle-${c.code}`}
                            onChange={(ev) => {
                              if (!quickSave({ kind: "campaignEnabled", code: c.code, enabled: ev.target.checked })) setValue(`campaigns.${i}.enabled`, ev.target.checked, { shouldDirty: true });
                            }}
                          />
                          {readOnly ? null : (
                            <>
                              <Button variant="ghost" size="sm" onClick={() => setDialog({ initial: structuredClone(getValues(`campaigns.${i}`) as Campaign), index: i })}>
                                {t("editShort")}
                              </Button>
                              <Button
                                variant="ghost"
                                size="sm"
                                className="text-red-600"
                                onClick={() => setValue("campaigns", campaigns.filter((_, j) => j !== i) as never, { shouldDirty: true })}
                              >
                                {t("delete")}
                              </Button>
                            </>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {campaigns.length === 0 ? <p className="px-5 py-8 text-center text-sm text-gray-500">{t("empty")}</p> : null}
          </div>
        )}
        <div className="flex flex-wrap gap-2 border-t border-gray-100 px-5 py-3 text-xs text-gray-600">
          <Badge tone="amber">{t("overlap")}</Badge>
          <span>{t("rules.multiplier")}</span>
          <span>{t("rules.bonus")}</span>
        </div>
      </Card>
      {dialog ? <CampaignDialog initial={dialog.initial} index={dialog.index} onClose={() => setDialog(null)} /> : null}
    </div>
  );
}

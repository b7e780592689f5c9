"use client";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { setGoLiveDateAction } from "@/lib/actions/set-go-live-date";
import { runPeriodJobAction } from "@/lib/actions/run-period-job";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, FormAlert, Input, describedBy } from "@/components/ui/field";

export interface PeriodDayView {
  businessDate: string;
  trigger: "schedule" | "manual";
  startedAt: string;
  durationMs: number;
  expiredPoints: number;
  downgrades: number;
  rightsIssued: number;
  messages: number;
}

/** Settings → program (owners): when the period job runs by itself, what its last days did, and a run for a past date. */
export function PeriodJobCard({
  goLive,
  lastEnded,
  timeZone,
  nextRunAt,
  scheduleError,
  recent,
  requested,
}: {
  goLive: string;
  lastEnded: string;
  timeZone: string;
  nextRunAt: string | null;
  scheduleError: string | null;
  recent: PeriodDayView[];
  requested: { asOf: string; state: string; lastError: string | null }[];
}) {
  const t = useTranslations("background.period");
  const format = useFormatter();
  const router = useRouter();
  const [goLiveValue, setGoLiveValue] = useState(goLive);
  const [goLiveError, setGoLiveError] = useState<string>();
  const [asOf, setAsOf] = useState(lastEnded);
  const [asOfError, setAsOfError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [notice, setNotice] = useState<string>();
  const last = recent[0];

  const saveGoLive = async (e: React.FormEvent) => {
    e.preventDefault();
    setGoLiveError(undefined);
    setPending(true);
    const r = await setGoLiveDateAction({ goLiveDate: goLiveValue });
    setPending(false);
    if (!r.ok) return setGoLiveError(r.error.fieldErrors.goLiveDate ?? r.error.message);
    setNotice(t("goLiveSaved", { date: goLiveValue }));
    router.refresh();
  };
  const run = async () => {
    setPending(true);
    const r = await runPeriodJobAction({ asOf });
    setPending(false);
    setConfirming(false);
    if (!r.ok) return setAsOfError(r.error.fieldErrors.asOf ?? r.error.message);
    setNotice(t("runQueued", { date: asOf }));
    router.refresh();
  };

  return (
    <Card aria-labelledby="period-job-heading" data-testid="period-job">
      <CardHeader id="period-job-heading" title={t("title")} description={t("description", { timeZone })} />
      <CardBody className="space-y-5">
        {notice ? (
          <p role="status" className="text-sm text-green-700">
            {notice}
          </p>
        ) : null}
        {scheduleError ? <FormAlert>{t("scheduleError", { error: scheduleError })}</FormAlert> : null}
        <dl className="grid gap-4 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-gray-500">{t("lastRun")}</dt>
            <dd className="font-medium text-gray-900" data-testid="period-last-run">
              {last ? t("lastRunValue", { date: last.businessDate, at: format.dateTime(new Date(last.startedAt), { dateStyle: "medium", timeStyle: "short" }), ms: last.durationMs }) : t("never")}
            </dd>
          </div>
          <div>
            <dt className="text-gray-500">{t("nextRun")}</dt>
            <dd className="font-medium text-gray-900">{nextRunAt ? format.dateTime(new Date(nextRunAt), { dateStyle: "medium", timeStyle: "short" }) : "—"}</dd>
          </div>
          <div>
            <dt className="text-gray-500">{t("lastEnded")}</dt>
            <dd className="font-medium text-gray-900">{lastEnded}</dd>
          </div>
        </dl>
        {recent.length ? (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("recent")}</caption>
            <thead className="text-gray-500">
              <tr>
                <th scope="col" className="py-1 font-medium">{t("day")}</th>
                <th scope="col" className="py-1 font-medium">{t("trigger")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("duration")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("expiredPoints")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("downgrades")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("rightsIssued")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("messages")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {recent.map((d) => (
                <tr key={d.businessDate}>
                  <td className="py-1">{d.businessDate}</td>
                  <td className="py-1">{t(`triggers.${d.trigger}`)}</td>
                  <td className="py-1 text-right tabular-nums">{t("ms", { ms: d.durationMs })}</td>
                  <td className="py-1 text-right tabular-nums">{format.number(d.expiredPoints)}</td>
                  <td className="py-1 text-right tabular-nums">{format.number(d.downgrades)}</td>
                  <td className="py-1 text-right tabular-nums">{format.number(d.rightsIssued)}</td>
                  <td className="py-1 text-right tabular-nums">{format.number(d.messages)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {requested.length ? (
          <ul className="space-y-1 text-sm text-gray-700">
            {requested.map((r, i) => (
              <li key={i}>{t(`requested.${r.state === "parked" ? "failed" : "pending"}`, { date: r.asOf, error: r.lastError ?? "" })}</li>
            ))}
          </ul>
        ) : null}
        <div className="grid gap-5 md:grid-cols-2">
          <form onSubmit={saveGoLive} noValidate className="flex items-end gap-2">
            <div className="flex-1">
              <Field id="go-live" label={t("goLive")} hint={t("goLiveHint")} error={goLiveError}>
                <Input id="go-live" type="date" value={goLiveValue} onChange={(e) => setGoLiveValue(e.target.value)} invalid={!!goLiveError} aria-describedby={describedBy("go-live", goLiveError, true)} />
              </Field>
            </div>
            <Button type="submit" variant="secondary" disabled={pending}>
              {t("save")}
            </Button>
          </form>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setAsOfError(undefined);
              setConfirming(true);
            }}
            noValidate
            className="flex items-end gap-2"
          >
            <div className="flex-1">
              <Field id="period-as-of" label={t("runFor")} hint={t("runForHint", { date: lastEnded })} error={asOfError}>
                <Input id="period-as-of" type="date" max={lastEnded} value={asOf} onChange={(e) => setAsOf(e.target.value)} invalid={!!asOfError} aria-describedby={describedBy("period-as-of", asOfError, true)} />
              </Field>
            </div>
            <Button type="submit" disabled={pending}>
              {t("run")}
            </Button>
          </form>
        </div>
      </CardBody>
      <ConfirmDialog
        open={confirming}
        title={t("confirmTitle", { date: asOf })}
        body={t("confirmBody", { date: asOf })}
        confirmLabel={t("run")}
        cancelLabel={t("cancel")}
        pending={pending}
        onConfirm={run}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}

"use client";
import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEditor, useProgramForm } from "./program-form";
import { previewProgramAction } from "@/lib/workbench/actions";
import type { ProgramPreview } from "@/lib/workbench/preview";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/field";
import { yuan } from "./controls";

const pct = (x: number | null, locale: string) => (x === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(x));

/** What-if: the proposed (unsaved) program over the merchant's real members, computed on the server. */
export function PreviewPanel() {
  const t = useTranslations("workbench.preview");
  const w = useTranslations("whatIf");
  const locale = useLocale();
  const { getValues } = useProgramForm();
  const { readOnly } = useEditor();
  const run = useMutation({
    mutationFn: async () => {
      const r = await previewProgramAction(getValues() as never);
      if (!r.ok) throw new Error(Object.values(r.error.fieldErrors)[0] ?? r.error.message);
      return r.data;
    },
  });
  if (readOnly) return null;
  const p: ProgramPreview | undefined = run.data;
  const name = (r: ProgramPreview["tiers"][number]) => (r.name ? (locale === "en" ? r.name.en : r.name.zh) : r.code);
  const unchanged = p && p.movedUp === 0 && p.movedDown === 0 && p.monthlyCostBefore === p.monthlyCostAfter;
  /** A count that opens the members behind it (the first few the server named, each a link to its page). */
  const movers = (count: number, ids: string[], label: "moversUp" | "moversDown", tone: string, testId: string) =>
    count === 0 ? (
      "—"
    ) : (
      <details className="inline-block text-left" data-testid={testId}>
        <summary className={`cursor-pointer underline decoration-dotted underline-offset-2 ${tone}`}>{count}</summary>
        <div className="absolute z-10 mt-1 max-w-xs rounded-md border border-gray-200 bg-white p-2 text-xs shadow-lg">
          <p className="mb-1 text-gray-500">{w(label, { count, shown: ids.length, more: count > ids.length ? "yes" : "no" })}</p>
          <ul className="flex flex-wrap gap-1">
            {ids.map((id) => (
              <li key={id}>
                <Link href={`/members/${encodeURIComponent(id)}`} className="text-accent-700 hover:underline">
                  {id}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      </details>
    );
  return (
    <Card aria-labelledby="preview-heading" data-testid="preview-panel">
      <CardHeader
        id="preview-heading"
        title={t("title")}
        description={t("description")}
        actions={
          <Button variant="secondary" onClick={() => run.mutate()} disabled={run.isPending} data-testid="run-preview" data-keeps-drafts>
            {run.isPending ? t("running") : t("run")}
          </Button>
        }
      />
      <div className="px-5 py-4">
        {run.error ? <FormAlert>{t("failed", { message: run.error.message })}</FormAlert> : null}
        {!p && !run.error ? <p className="text-sm text-gray-500">{t("empty")}</p> : null}
        {p ? (
          <div className="space-y-4">
            {unchanged ? (
              <p className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="preview-unchanged">
                {w("noChange")}
              </p>
            ) : null}
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              {[
                [t("members"), new Intl.NumberFormat(locale).format(p.members)],
                [t("moves"), `↑ ${p.movedUp} · ↓ ${p.movedDown}`],
                [t("monthlyCost"), `${yuan(p.monthlyCostBefore, locale)} → ${yuan(p.monthlyCostAfter, locale)}`],
                [t("costRate"), `${pct(p.costRateBefore, locale)} → ${pct(p.costRateAfter, locale)}`],
              ].map(([k, v]) => (
                <div key={k} className="rounded-lg bg-gray-50 px-3 py-2">
                  <dt className="text-xs text-gray-500">{k}</dt>
                  <dd className="mt-0.5 text-sm font-semibold text-gray-900 tabular-nums" data-testid={`preview-${k}`}>
                    {v}
                  </dd>
                </div>
              ))}
            </dl>
            {p.planCostBefore || p.planCostAfter ? (
              <p className="text-xs text-gray-500" data-testid="preview-plan-cost">
                {w("planCost", { before: yuan(p.planCostBefore, locale), after: yuan(p.planCostAfter, locale) })}
              </p>
            ) : null}
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid="preview-table">
                <thead>
                  <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
                    <th className="py-2 pr-3 font-medium">{t("tier")}</th>
                    <th className="py-2 pr-3 text-right font-medium">{t("before")}</th>
                    <th className="py-2 pr-3 text-right font-medium">{t("after")}</th>
                    <th className="py-2 pr-3 text-right font-medium">{t("up")}</th>
                    <th className="py-2 pr-3 text-right font-medium">{t("down")}</th>
                    <th className="py-2 text-right font-medium">{t("costPerMember")}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.tiers.map((r) => (
                    <tr key={r.code} className="border-b border-gray-100 tabular-nums" data-testid={`preview-row-${r.code}`}>
                      <td className="py-2 pr-3 font-medium text-gray-900">{name(r)}</td>
                      <td className="py-2 pr-3 text-right">
                        {r.before > 0 ? (
                          <Link href={`/members?tier=${encodeURIComponent(r.code)}`} className="hover:underline" title={w("membersInTier", { tier: name(r) })}>
                            {r.before}
                          </Link>
                        ) : (
                          r.before
                        )}
                      </td>
                      <td className={`py-2 pr-3 text-right ${r.after !== r.before ? "font-semibold text-accent-700" : ""}`}>{r.after}</td>
                      <td className="relative py-2 pr-3 text-right text-emerald-700">{movers(r.movingUp, r.upSample, "moversUp", "text-emerald-700", `preview-up-${r.code}`)}</td>
                      <td className="relative py-2 pr-3 text-right text-red-700">{movers(r.movingDown, r.downSample, "moversDown", "text-red-700", `preview-down-${r.code}`)}</td>
                      <td className="py-2 text-right text-gray-600">
                        {r.costPerMemberBefore === null ? "—" : yuan(Math.round(r.costPerMemberBefore), locale)} →{" "}
                        {r.costPerMemberAfter === null ? "—" : yuan(Math.round(r.costPerMemberAfter), locale)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="text-xs text-gray-500">{t("note", { date: p.asOf })}</p>
            <p className="text-xs text-gray-500">{w("why")}</p>
          </div>
        ) : null}
      </div>
    </Card>
  );
}

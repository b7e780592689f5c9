"use client";
import clsx from "clsx";
import { useTranslations } from "next-intl";
import { previousRange } from "@/lib/dashboards/range";
import { kpiChange } from "./kpi-change";
import type { MemberRoi } from "@/lib/metrics/member-roi";
import type { Points } from "@/lib/metrics/points";
import type { Repurchase } from "@/lib/metrics/repurchase";
import type { RevenueShare } from "@/lib/metrics/revenue-share";
import type { RightsCost } from "@/lib/metrics/rights-cost";
import type { TierCounts } from "@/lib/metrics/tier-distribution";
import { useFormat } from "./format";
import { useMetric, type MetricQueryArgs } from "./use-metric";

type Kind = "count" | "money" | "rate" | "times";
interface Kpi {
  key: string;
  kind: Kind;
  now: number | null | undefined;
  before: number | null | undefined;
  /** Which direction is good news (colours the change); neutral = grey either way. */
  good: "up" | "down" | "neutral";
  loading: boolean;
}

/** The six headline numbers of the range, each beside its change vs the previous period of equal length. */
export function KpiCards({ q }: { q: MetricQueryArgs }) {
  const t = useTranslations("dashboards.kpi");
  const f = useFormat();
  // The previous period only needs its total: ask for it by month (the fewest series periods).
  const prev = { ...previousRange(q.from, q.to), granularity: "month" as const, tier: q.tier };
  const usePair = <S,>(name: string) => [useMetric<S>(name, q), useMetric<S>(name, prev)] as const;
  const [tierNow, tierPrev] = usePair<TierCounts>("tier-distribution");
  const [revNow, revPrev] = usePair<RevenueShare>("revenue-share");
  const [costNow, costPrev] = usePair<RightsCost>("rights-cost");
  const [roiNow, roiPrev] = usePair<MemberRoi>("member-roi");
  const [repNow, repPrev] = usePair<Repurchase>("repurchase");
  const [ptsNow, ptsPrev] = usePair<Points>("points");
  const sum = (c: TierCounts | undefined) => (c ? Object.values(c).reduce((s, n) => s + n, 0) : undefined);

  const kpis: Kpi[] = [
    { key: "members", kind: "count", now: sum(tierNow.data?.total), before: sum(tierPrev.data?.total), good: "up", loading: tierNow.isPending },
    { key: "memberSpend", kind: "money", now: revNow.data?.total.memberSpend, before: revPrev.data?.total.memberSpend, good: "up", loading: revNow.isPending },
    { key: "costRate", kind: "rate", now: costNow.data?.total.costRate, before: costPrev.data?.total.costRate, good: "neutral", loading: costNow.isPending },
    { key: "roi", kind: "times", now: roiNow.data?.total.roi, before: roiPrev.data?.total.roi, good: "up", loading: roiNow.isPending },
    { key: "repurchase", kind: "rate", now: repNow.data?.total.rate, before: repPrev.data?.total.rate, good: "up", loading: repNow.isPending },
    { key: "liability", kind: "money", now: ptsNow.data?.total.liability, before: ptsPrev.data?.total.liability, good: "neutral", loading: ptsNow.isPending },
  ];
  const value = (k: Kind, v: number | null | undefined) =>
    k === "count" ? f.count(v) : k === "money" ? f.money(v) : k === "rate" ? f.percent(v) : f.times(v);

  return (
    <ul className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-3" aria-label={t("label")}>
      {kpis.map((k) => {
        // Rates change in percentage points; amounts, counts and ROI relative to before.
        const { delta, smallBase } = kpiChange(k.kind, k.now, k.before);
        const tone =
          delta === null || delta === 0 || k.good === "neutral"
            ? "text-gray-500"
            : (delta > 0) === (k.good === "up")
              ? "text-emerald-600"
              : "text-rose-600";
        const deltaText =
          delta === null
            ? t("noChange")
            : k.kind === "rate"
              ? `${Math.round(delta * 1000) > 0 ? "+" : ""}${f.decimal1(Math.round(delta * 1000) / 10)} ${t("pp")}`
              : `${delta >= 0 ? "+" : ""}${f.percent(delta)}`;
        return (
          <li key={k.key} className="min-w-0 rounded-xl border border-gray-200 bg-white px-4 py-3 shadow-xs" data-testid={`kpi-${k.key}`}>
            <p className="text-xs font-medium text-gray-500">{t(k.key)}</p>
            {k.loading ? (
              <p className="mt-1 h-7 w-24 animate-pulse rounded bg-gray-100" role="status" aria-label={t("loading")} />
            ) : (
              <p className="mt-1 truncate text-xl font-semibold tracking-tight text-gray-900 tabular-nums xl:text-2xl" title={value(k.kind, k.now)} data-testid={`kpi-${k.key}-value`}>
                {value(k.kind, k.now)}
              </p>
            )}
            <p className={clsx("mt-0.5 text-xs tabular-nums break-words", tone)} title={t("vsPrevious", { from: prev.from, to: prev.to })} data-testid={`kpi-${k.key}-change`}>
              {deltaText} <span className="text-gray-400">{t("vsPreviousShort")}</span>
              {smallBase ? (
                <span className="ml-1 rounded bg-amber-50 px-1 text-amber-700" title={t("smallBaseHint", { before: value(k.kind, k.before) })}>
                  {t("smallBase")}
                </span>
              ) : null}
            </p>
          </li>
        );
      })}
    </ul>
  );
}

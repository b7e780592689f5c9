"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Cell,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Arpu } from "@/lib/metrics/arpu";
import type { Lifecycle } from "@/lib/metrics/lifecycle";
import type { MemberRoi } from "@/lib/metrics/member-roi";
import type { Points } from "@/lib/metrics/points";
import type { Wallet } from "@/lib/metrics/wallet";
import type { Repurchase } from "@/lib/metrics/repurchase";
import type { RetentionCohort, RetentionTotal } from "@/lib/metrics/retention";
import type { RevenueShare } from "@/lib/metrics/revenue-share";
import type { Rfm } from "@/lib/metrics/rfm";
import type { RightsCost } from "@/lib/metrics/rights-cost";
import type { RightsUsage } from "@/lib/metrics/rights-usage";
import type { TierChanges } from "@/lib/metrics/tier-changes";
import type { TierCounts } from "@/lib/metrics/tier-distribution";
import { ChartCard, stateOf } from "./chart-card";
import type { NamedCode } from "./dashboard-filters";
import { tierSeries } from "./tier-series";
import { useFormat, type Format } from "./format";
import { useMetric, type MetricQueryArgs } from "./use-metric";

export interface ChartProps {
  q: MetricQueryArgs;
  tiers: NamedCode[];
  rights: NamedCode[];
}

/** The cost-rate band drawn on the chart (metrics.md: 5–10% of member spend). */
const BAND = { low: 0.05, high: 0.1 };
export const palette = ["#4f46e5", "#10b981", "#f59e0b", "#f43f5e", "#0ea5e9", "#8b5cf6", "#64748b", "#14b8a6"];
const grid = <CartesianGrid stroke="#f3f4f6" vertical={false} />;
const axisProps = { tick: { fontSize: 12, fill: "#6b7280" }, tickLine: false, axisLine: { stroke: "#e5e7eb" } } as const;
/** A rate axis from 0: up to the data's maximum, or 0–100% when every rate is 0 (recharts would draw 0–400%). */
const rateDomain: [number, (dataMax: number) => number] = [0, (dataMax) => (dataMax > 0 ? dataMax : 1)];
const countAxis = { ...axisProps, allowDecimals: false } as const;
/** Legend labels in grey (recharts colours them like their series, unreadable for the light ones). */
const legend = <Legend iconSize={10} formatter={(v: unknown) => <span className="text-xs text-gray-600">{String(v)}</span>} />;

type Fmt = (v: number) => string;
/** A tooltip formatter choosing each series' format by its data key. */
function tooltipFormatter(byKey: Record<string, Fmt>, fallback: Fmt) {
  return (value: unknown, name: unknown, item: { dataKey?: unknown }) => {
    const key = String(item?.dataKey ?? "");
    const fmt = byKey[key] ?? fallback;
    return [value === null || value === undefined ? "—" : fmt(Number(value)), String(name)] as [string, string];
  };
}

function XPeriod({ f, granularity }: { f: Format; granularity: string }) {
  return <XAxis dataKey="period" {...axisProps} tickFormatter={(p: string) => f.period(p, granularity)} minTickGap={16} />;
}

/** The program's codes in rank order, then any other code found in the data. */
const nameOf = (list: NamedCode[], code: string) => list.find((x) => x.code === code)?.name ?? code;
const csvName = (metric: string, q: MetricQueryArgs) => `${metric}_${q.from}_${q.to}${q.tier ? `_${q.tier}` : ""}.csv`;

// ---------------------------------------------------------------------------------------- tiers

export function TierDistributionChart({ q, tiers }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<TierCounts>("tier-distribution", q);
  const series = m.data ? tierSeries(tiers, Object.keys(m.data.total)) : [];
  const codes = series.map((s) => s.code);
  const hasData = !!m.data && m.data.series.some((r) => codes.some((c) => Number(r[c]) > 0));
  const rows = m.data?.series ?? [];
  return (
    <ChartCard
      id="tier-distribution"
      title={t("tierDistribution.title")}
      description={t("tierDistribution.description")}
      state={stateOf(m, hasData)}
      csv={{
        filename: csvName("tier-distribution", q),
        columns: [{ key: "period", label: t("period") }, ...codes.map((c) => ({ key: c, label: nameOf(tiers, c) }))],
        rows,
      }}
    >
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={rows}>
          {grid}
          <XPeriod f={f} granularity={q.granularity} />
          <YAxis {...countAxis} tickFormatter={f.countAxis} width={48} />
          <Tooltip formatter={tooltipFormatter({}, f.count)} itemSorter={(item) => -codes.indexOf(String(item.dataKey))} />
          {/* In rank order (recharts sorts a legend alphabetically by default), each tier in its own colour. */}
          <Legend iconSize={10} itemSorter={(item) => codes.indexOf(String(item.dataKey))} formatter={(v: unknown) => <span className="text-xs text-gray-600">{String(v)}</span>} />
          {series.map((s) => (
            <Bar key={s.code} dataKey={s.code} name={s.name} stackId="tiers" fill={s.color} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** Members per tier at the end of the range; each tier drills into the member list. */
export function TierNowChart({ q, tiers }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const router = useRouter();
  const m = useMetric<TierCounts>("tier-distribution", q);
  const counts = m.data?.total ?? {};
  const rows = tierSeries(tiers, Object.keys(counts)).map(({ code, name, color }) => ({ code, name, color, members: counts[code] ?? 0 }));
  const total = rows.reduce((s, r) => s + r.members, 0);
  return (
    <ChartCard
      id="tier-now"
      title={t("tierNow.title")}
      description={t("tierNow.description", { date: q.to })}
      state={stateOf(m, total > 0)}
      csv={{
        filename: csvName("tier-now", q),
        columns: [
          { key: "code", label: t("code") },
          { key: "name", label: t("tier") },
          { key: "members", label: t("members") },
        ],
        rows,
      }}
    >
      <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 44)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24 }}>
          <XAxis type="number" {...countAxis} tickFormatter={f.countAxis} />
          <YAxis type="category" dataKey="name" {...axisProps} width={72} />
          <Tooltip formatter={tooltipFormatter({}, f.count)} cursor={{ fill: "#eef2ff" }} />
          <Bar
            dataKey="members"
            name={t("members")}
            fill="#6366f1"
            radius={[0, 4, 4, 0]}
            cursor="pointer"
            onClick={(d: { payload?: { code?: string } }) => d.payload?.code && router.push(`/members?tier=${encodeURIComponent(d.payload.code)}`)}
          >
            {rows.map((r) => (
              <Cell key={r.code} fill={r.color} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ul className="mt-3 flex flex-wrap gap-2" aria-label={t("drillHint")}>
        {rows.map((r) => (
          <li key={r.code}>
            <Link
              href={`/members?tier=${encodeURIComponent(r.code)}`}
              data-testid={`drill-tier-${r.code}`}
              className="inline-flex items-center gap-1.5 rounded-full bg-gray-100 px-2.5 py-1 text-xs font-medium text-gray-700 hover:bg-accent-50 hover:text-accent-700"
            >
              {r.name}
              <span className="text-gray-500">
                {f.count(r.members)} · {f.percent(total ? r.members / total : null)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </ChartCard>
  );
}

export function TierChangesChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<TierChanges>("tier-changes", q);
  const rows = m.data?.series ?? [];
  const hasData = rows.some((r) => r.upgrades > 0 || r.downgrades > 0 || r.upgradeRate !== null);
  return (
    <ChartCard
      id="tier-changes"
      title={t("tierChanges.title")}
      description={t("tierChanges.description", {
        up: f.percent(m.data?.total.upgradeRate),
        down: f.percent(m.data?.total.downgradeRate),
      })}
      state={stateOf(m, hasData)}
      csv={{
        filename: csvName("tier-changes", q),
        columns: [
          { key: "period", label: t("period") },
          { key: "upgrades", label: t("tierChanges.upgrades") },
          { key: "downgrades", label: t("tierChanges.downgrades") },
          { key: "upgradeRate", label: t("tierChanges.upgradeRate") },
          { key: "downgradeRate", label: t("tierChanges.downgradeRate") },
        ],
        rows,
      }}
    >
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={rows}>
          {grid}
          <XPeriod f={f} granularity={q.granularity} />
          <YAxis yAxisId="n" {...countAxis} tickFormatter={f.countAxis} width={48} />
          <YAxis yAxisId="r" orientation="right" {...axisProps} tickFormatter={f.percentAxis} width={52} domain={rateDomain} />
          <Tooltip formatter={tooltipFormatter({ upgradeRate: f.percent, downgradeRate: f.percent }, f.count)} />
          {legend}
          <Bar yAxisId="n" dataKey="upgrades" name={t("tierChanges.upgrades")} fill="#a7f3d0" />
          <Bar yAxisId="n" dataKey="downgrades" name={t("tierChanges.downgrades")} fill="#fecdd3" />
          <Line yAxisId="r" dataKey="upgradeRate" name={t("tierChanges.upgradeRate")} stroke="#10b981" dot={false} strokeWidth={2} connectNulls />
          <Line yAxisId="r" dataKey="downgradeRate" name={t("tierChanges.downgradeRate")} stroke="#f43f5e" dot={false} strokeWidth={2} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

// --------------------------------------------------------------------------------------- rights

export function RightsUsageChart({ q, rights }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<RightsUsage, RightsUsage>("rights-usage", q);
  const rows = Object.entries(m.data?.total ?? {}).map(([code, u]) => ({ code, name: nameOf(rights, code), ...u }));
  const hasData = rows.some((r) => r.issued > 0);
  return (
    <ChartCard
      id="rights-usage"
      title={t("rightsUsage.title")}
      description={t("rightsUsage.description")}
      state={stateOf(m, hasData)}
      csv={{
        filename: csvName("rights-usage", q),
        columns: [
          { key: "code", label: t("code") },
          { key: "name", label: t("right") },
          { key: "issued", label: t("rightsUsage.issued") },
          { key: "redeemed", label: t("rightsUsage.redeemed") },
          { key: "usageRate", label: t("rightsUsage.usageRate") },
        ],
        rows,
      }}
    >
      <ResponsiveContainer width="100%" height={Math.max(220, rows.length * 40)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24 }}>
          <XAxis type="number" {...countAxis} tickFormatter={f.countAxis} />
          <YAxis type="category" dataKey="name" {...axisProps} width={110} />
          <Tooltip formatter={tooltipFormatter({}, f.count)} cursor={{ fill: "#eef2ff" }} />
          {legend}
          <Bar dataKey="issued" name={t("rightsUsage.issued")} fill="#c7d2fe" />
          <Bar dataKey="redeemed" name={t("rightsUsage.redeemed")} fill="#4f46e5" />
        </BarChart>
      </ResponsiveContainer>
      <table className="mt-3 w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-gray-500">
            <th className="py-1 font-medium">{t("right")}</th>
            <th className="py-1 text-right font-medium">{t("rightsUsage.issued")}</th>
            <th className="py-1 text-right font-medium">{t("rightsUsage.redeemed")}</th>
            <th className="py-1 text-right font-medium">{t("rightsUsage.usageRate")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {rows.map((r) => (
            <tr key={r.code}>
              <td className="py-1.5 text-gray-800">{r.name}</td>
              <td className="py-1.5 text-right tabular-nums">{f.count(r.issued)}</td>
              <td className="py-1.5 text-right tabular-nums">{f.count(r.redeemed)}</td>
              <td className="py-1.5 text-right font-medium tabular-nums">{f.percent(r.usageRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ChartCard>
  );
}

export function RightsCostChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<RightsCost>("rights-cost", q);
  const rows = m.data?.series ?? [];
  const hasData = rows.some((r) => r.rightsCost !== 0 || r.memberSpend !== 0);
  const max = Math.max(0.12, ...rows.map((r) => r.costRate ?? 0));
  return (
    <ChartCard
      id="rights-cost"
      title={t("rightsCost.title")}
      description={t("rightsCost.description", { rate: f.percent(m.data?.total.costRate) })}
      state={stateOf(m, hasData)}
      csv={{
        filename: csvName("rights-cost", q),
        columns: [
          { key: "period", label: t("period") },
          { key: "rightsCostYuan", label: t("rightsCost.rightsCost") },
          { key: "memberSpendYuan", label: t("memberSpend") },
          { key: "costRate", label: t("rightsCost.costRate") },
        ],
        rows: rows.map((r) => ({ ...r, rightsCostYuan: yuan(r.rightsCost), memberSpendYuan: yuan(r.memberSpend) })),
      }}
    >
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={rows}>
          {grid}
          <XPeriod f={f} granularity={q.granularity} />
          <YAxis yAxisId="money" {...axisProps} tickFormatter={f.moneyAxis} width={64} />
          <YAxis yAxisId="r" orientation="right" {...axisProps} tickFormatter={f.percentAxis} width={52} domain={[0, Math.ceil(max * 20) / 20]} />
          <ReferenceArea
            yAxisId="r"
            y1={BAND.low}
            y2={BAND.high}
            fill="#10b981"
            fillOpacity={0.1}
            stroke="#10b981"
            strokeOpacity={0.3}
            strokeDasharray="4 4"
            label={{ value: t("rightsCost.band"), position: "insideTopRight", fontSize: 11, fill: "#047857" }}
          />
          <Tooltip formatter={tooltipFormatter({ costRate: f.percent }, f.money)} />
          {legend}
          <Bar yAxisId="money" dataKey="rightsCost" name={t("rightsCost.rightsCost")} fill="#c7d2fe" />
          <Line yAxisId="r" dataKey="costRate" name={t("rightsCost.costRate")} stroke="#4f46e5" strokeWidth={2} dot={false} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

// -------------------------------------------------------------------------------------- revenue

export function MemberRoiChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<MemberRoi>("member-roi", q);
  const rows = (m.data?.series ?? []).map((r) => ({ ...r, cost: r.rightsCost + r.operatingCost }));
  const hasData = rows.some((r) => r.memberSpend !== 0 || r.cost !== 0);
  return (
    <ChartCard
      id="member-roi"
      title={t("memberRoi.title")}
      description={t("memberRoi.description", { roi: f.times(m.data?.total.roi) })}
      state={stateOf(m, hasData)}
      csv={{
        filename: csvName("member-roi", q),
        columns: [
          { key: "period", label: t("period") },
          { key: "memberSpendYuan", label: t("memberSpend") },
          { key: "rightsCostYuan", label: t("rightsCost.rightsCost") },
          { key: "operatingCostYuan", label: t("memberRoi.operatingCost") },
          { key: "roi", label: t("memberRoi.roi") },
        ],
        rows: rows.map((r) => ({ ...r, memberSpendYuan: yuan(r.memberSpend), rightsCostYuan: yuan(r.rightsCost), operatingCostYuan: yuan(r.operatingCost) })),
      }}
    >
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={rows}>
          {grid}
          <XPeriod f={f} granularity={q.granularity} />
          <YAxis yAxisId="money" {...axisProps} tickFormatter={f.moneyAxis} width={64} />
          <YAxis yAxisId="roi" orientation="right" {...axisProps} tickFormatter={(v: number) => `${v}×`} width={44} />
          <Tooltip formatter={tooltipFormatter({ roi: f.times }, f.money)} />
          {legend}
          <Bar yAxisId="money" dataKey="memberSpend" name={t("memberSpend")} fill="#a5b4fc" />
          <Bar yAxisId="money" dataKey="cost" name={t("memberRoi.cost")} fill="#fda4af" />
          <Line yAxisId="roi" dataKey="roi" name={t("memberRoi.roi")} stroke="#312e81" strokeWidth={2} dot={false} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function RepurchaseArpuChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const rep = useMetric<Repurchase>("repurchase", q);
  const arpu = useMetric<Arpu>("arpu", q);
  const rows = (rep.data?.series ?? []).map((r, i) => ({ ...r, arpu: arpu.data?.series[i]?.arpu ?? null, activeMembers: arpu.data?.series[i]?.activeMembers ?? 0 }));
  const hasData = rows.some((r) => r.buyers > 0);
  return (
    <ChartCard
      id="repurchase-arpu"
      title={t("repurchaseArpu.title")}
      description={t("repurchaseArpu.description", { rate: f.percent(rep.data?.total.rate), arpu: f.money(arpu.data?.total.arpu) })}
      state={stateOf({ isPending: rep.isPending || arpu.isPending, isError: rep.isError || arpu.isError }, hasData)}
      csv={{
        filename: csvName("repurchase-arpu", q),
        columns: [
          { key: "period", label: t("period") },
          { key: "buyers", label: t("repurchaseArpu.buyers") },
          { key: "repeatBuyers", label: t("repurchaseArpu.repeatBuyers") },
          { key: "rate", label: t("repurchaseArpu.rate") },
          { key: "arpuYuan", label: t("repurchaseArpu.arpu") },
        ],
        rows: rows.map((r) => ({ ...r, arpuYuan: r.arpu === null ? null : yuan(r.arpu) })),
      }}
    >
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={rows}>
          {grid}
          <XPeriod f={f} granularity={q.granularity} />
          <YAxis yAxisId="r" {...axisProps} tickFormatter={f.percentAxis} width={52} domain={rateDomain} />
          <YAxis yAxisId="money" orientation="right" {...axisProps} tickFormatter={f.moneyAxis} width={64} />
          <Tooltip formatter={tooltipFormatter({ rate: f.percent, arpu: f.money }, f.count)} />
          {legend}
          <Line yAxisId="r" dataKey="rate" name={t("repurchaseArpu.rate")} stroke="#4f46e5" strokeWidth={2} dot={false} connectNulls />
          <Line yAxisId="money" dataKey="arpu" name={t("repurchaseArpu.arpu")} stroke="#f59e0b" strokeWidth={2} dot={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function RevenueShareChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<RevenueShare>("revenue-share", q);
  const rows = m.data?.series ?? [];
  const hasData = rows.some((r) => r.memberSpend !== 0 || r.guestSpend !== 0);
  return (
    <ChartCard
      id="revenue-share"
      title={t("revenueShare.title")}
      description={t("revenueShare.description", { share: f.percent(m.data?.total.share) })}
      state={stateOf(m, hasData)}
      csv={{
        filename: csvName("revenue-share", q),
        columns: [
          { key: "period", label: t("period") },
          { key: "memberSpendYuan", label: t("memberSpend") },
          { key: "guestSpendYuan", label: t("revenueShare.guestSpend") },
          { key: "share", label: t("revenueShare.share") },
        ],
        rows: rows.map((r) => ({ ...r, memberSpendYuan: yuan(r.memberSpend), guestSpendYuan: yuan(r.guestSpend) })),
      }}
    >
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={rows}>
          {grid}
          <XPeriod f={f} granularity={q.granularity} />
          <YAxis yAxisId="money" {...axisProps} tickFormatter={f.moneyAxis} width={64} />
          <YAxis yAxisId="r" orientation="right" {...axisProps} tickFormatter={f.percentAxis} width={52} domain={[0, 1]} />
          <Tooltip formatter={tooltipFormatter({ share: f.percent }, f.money)} />
          {legend}
          <Area yAxisId="money" dataKey="memberSpend" name={t("memberSpend")} stackId="s" fill="#c7d2fe" stroke="#6366f1" />
          <Area yAxisId="money" dataKey="guestSpend" name={t("revenueShare.guestSpend")} stackId="s" fill="#e5e7eb" stroke="#9ca3af" />
          <Line yAxisId="r" dataKey="share" name={t("revenueShare.share")} stroke="#312e81" strokeWidth={2} dot={false} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

// ------------------------------------------------------------------------------------ lifecycle

export const lifecycleStages = ["new", "active", "dormant", "lost"] as const;
const stageColors = { new: "#0ea5e9", active: "#10b981", dormant: "#f59e0b", lost: "#f43f5e" };

/** The lifecycle at the end of the range as a funnel of bars, each stage drilling into the member list; and over time. */
export function LifecycleChart({ q, over = true }: ChartProps & { over?: boolean }) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<Lifecycle>("lifecycle", q);
  const total = m.data?.total;
  const sum = total ? lifecycleStages.reduce((s, k) => s + total[k], 0) : 0;
  const rows = m.data?.series ?? [];
  return (
    <ChartCard
      id="lifecycle"
      title={t("lifecycle.title")}
      description={t("lifecycle.description", { date: q.to })}
      state={stateOf(m, sum > 0)}
      csv={{
        filename: csvName("lifecycle", q),
        columns: [{ key: "period", label: t("period") }, ...lifecycleStages.map((k) => ({ key: k, label: t(`lifecycle.${k}`) }))],
        rows: [...rows, ...(total ? [{ ...total, period: `${q.from}~${q.to}` }] : [])],
      }}
    >
      <ol className="space-y-2" aria-label={t("drillHint")}>
        {lifecycleStages.map((k) => {
          const n = total?.[k] ?? 0;
          return (
            <li key={k}>
              <Link
                href={`/members?lifecycle=${k}`}
                data-testid={`drill-lifecycle-${k}`}
                className="group flex items-center gap-3 rounded-md px-1 py-0.5 hover:bg-gray-50"
              >
                <span className="w-16 shrink-0 text-sm text-gray-700 group-hover:text-accent-700">{t(`lifecycle.${k}`)}</span>
                <span className="h-6 flex-1 overflow-hidden rounded bg-gray-100">
                  <span className="block h-full rounded" style={{ width: `${sum ? (100 * n) / sum : 0}%`, background: stageColors[k] }} />
                </span>
                <span className="w-28 shrink-0 text-right text-sm tabular-nums text-gray-700">
                  {f.count(n)} <span className="text-gray-400">{f.percent(sum ? n / sum : null)}</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ol>
      {over ? (
        <div className="mt-4">
          <ResponsiveContainer width="100%" height={220}>
            <AreaChart data={rows}>
              {grid}
              <XPeriod f={f} granularity={q.granularity} />
              <YAxis {...countAxis} tickFormatter={f.countAxis} width={48} />
              <Tooltip formatter={tooltipFormatter({}, f.count)} />
              {legend}
              {lifecycleStages.map((k) => (
                <Area key={k} dataKey={k} name={t(`lifecycle.${k}`)} stackId="l" fill={stageColors[k]} fillOpacity={0.35} stroke={stageColors[k]} />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      ) : null}
    </ChartCard>
  );
}

/** The R × F grid at the end of the range: darker = more members; each cell drills into the member list. */
export function RfmGridChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<Rfm>("rfm", q);
  const total = m.data?.total;
  const max = total ? Math.max(1, ...total.grid.flat()) : 1;
  const cells = total ? total.grid.flatMap((row, r) => row.map((n, fi) => ({ r: r + 1, f: fi + 1, members: n }))) : [];
  return (
    <ChartCard
      id="rfm"
      title={t("rfm.title")}
      description={t("rfm.description", { members: f.count(total?.members ?? 0), date: q.to })}
      state={stateOf(m, (total?.members ?? 0) > 0)}
      csv={{
        filename: csvName("rfm", q),
        columns: [
          { key: "r", label: "R" },
          { key: "f", label: "F" },
          { key: "members", label: t("members") },
        ],
        rows: cells,
      }}
    >
      <div className="overflow-x-auto">
        <table className="mx-auto border-separate border-spacing-1 text-sm">
          <caption className="caption-bottom pt-2 text-xs text-gray-500">{t("rfm.axes")}</caption>
          <thead>
            <tr>
              <th className="text-xs font-medium text-gray-500">R \ F</th>
              {[1, 2, 3, 4, 5].map((fi) => (
                <th key={fi} scope="col" className="w-16 text-xs font-medium text-gray-500">
                  F{fi}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[5, 4, 3, 2, 1].map((r) => (
              <tr key={r}>
                <th scope="row" className="pr-1 text-xs font-medium text-gray-500">
                  R{r}
                </th>
                {[1, 2, 3, 4, 5].map((fi) => {
                  const n = total?.grid[r - 1][fi - 1] ?? 0;
                  const a = n / max;
                  return (
                    <td key={fi} className="p-0">
                      <Link
                        href={`/members?rfmR=${r}&rfmF=${fi}`}
                        data-testid={`drill-rfm-${r}-${fi}`}
                        title={t("rfm.cell", { r, f: fi, members: f.count(n) })}
                        className="flex h-12 w-16 items-center justify-center rounded-md text-sm font-medium tabular-nums ring-accent-600 hover:ring-2"
                        style={{ background: `rgba(79, 70, 229, ${0.06 + 0.84 * a})`, color: a > 0.5 ? "white" : "#1f2937" }}
                      >
                        {f.count(n)}
                      </Link>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}

/** Cohort retention: a row per registration month, a column per month after it, shaded by rate. */
export function RetentionChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<RetentionCohort, RetentionTotal>("retention", q);
  const rows = m.data?.series ?? [];
  const hasData = rows.some((r) => r.members > 0);
  const ks = Array.from({ length: 12 }, (_, k) => k);
  return (
    <ChartCard
      id="retention"
      title={t("retention.title")}
      description={t("retention.description")}
      state={stateOf(m, hasData)}
      csv={{
        filename: csvName("retention", q),
        columns: [
          { key: "period", label: t("retention.cohort") },
          { key: "members", label: t("members") },
          ...ks.map((k) => ({ key: `m${k}`, label: `M${k}` })),
        ],
        rows: rows.map((r) => ({ period: r.period.slice(0, 7), members: r.members, ...Object.fromEntries(ks.map((k) => [`m${k}`, r.rates[k]])) })),
      }}
    >
      <div className="overflow-x-auto">
        <table className="w-full border-separate border-spacing-0.5 text-xs">
          <thead>
            <tr className="text-gray-500">
              <th className="px-1 text-left font-medium">{t("retention.cohort")}</th>
              <th className="px-1 text-right font-medium">{t("members")}</th>
              {ks.map((k) => (
                <th key={k} className="px-1 font-medium">
                  M{k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.period}>
                <th scope="row" className="px-1 text-left font-medium whitespace-nowrap text-gray-700">
                  {r.period.slice(0, 7)}
                </th>
                <td className="px-1 text-right tabular-nums text-gray-700">{f.count(r.members)}</td>
                {ks.map((k) => (
                  <HeatCell key={k} rate={r.rates[k]} f={f} />
                ))}
              </tr>
            ))}
            {m.data ? (
              <tr className="border-t">
                <th scope="row" className="px-1 text-left font-semibold text-gray-900">
                  {t("retention.all")}
                </th>
                <td className="px-1 text-right font-semibold tabular-nums">{f.count(m.data.total.members)}</td>
                {ks.map((k) => (
                  <HeatCell key={k} rate={m.data.total.rates[k]} f={f} />
                ))}
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}

function HeatCell({ rate, f }: { rate: number | null; f: Format }): ReactNode {
  if (rate === null) return <td className="h-8 min-w-11 rounded bg-gray-50" />;
  return (
    <td
      className="h-8 min-w-11 rounded text-center tabular-nums"
      style={{ background: `rgba(79, 70, 229, ${0.05 + 0.85 * Math.min(1, rate)})`, color: rate > 0.5 ? "white" : "#1f2937" }}
    >
      {f.percent(rate)}
    </td>
  );
}

// --------------------------------------------------------------------------------------- points

export function PointsChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<Points>("points", q);
  const rows = (m.data?.series ?? []).map((r) => ({ ...r, redeemedNeg: -r.redeemed, expiredNeg: -r.expired }));
  const hasData = rows.some((r) => r.issued || r.redeemed || r.expired || r.outstanding);
  return (
    <ChartCard
      id="points"
      title={t("points.title")}
      description={t("points.description", { liability: f.money(m.data?.total.liability), outstanding: f.count(m.data?.total.outstanding) })}
      state={stateOf(m, hasData)}
      height={320}
      csv={{
        filename: csvName("points", q),
        columns: [
          { key: "period", label: t("period") },
          { key: "issued", label: t("points.issued") },
          { key: "redeemed", label: t("points.redeemed") },
          { key: "expired", label: t("points.expired") },
          { key: "outstanding", label: t("points.outstanding") },
          { key: "liabilityYuan", label: t("points.liability") },
        ],
        rows: rows.map((r) => ({ ...r, liabilityYuan: yuan(r.liability) })),
      }}
    >
      <ResponsiveContainer width="100%" height={320}>
        <ComposedChart data={rows} stackOffset="sign">
          {grid}
          <XPeriod f={f} granularity={q.granularity} />
          <YAxis yAxisId="pts" {...countAxis} tickFormatter={f.countAxis} width={52} />
          <YAxis yAxisId="money" orientation="right" {...axisProps} tickFormatter={f.moneyAxis} width={64} />
          <Tooltip formatter={tooltipFormatter({ liability: f.money, redeemedNeg: (v) => f.count(-v), expiredNeg: (v) => f.count(-v) }, f.count)} />
          {legend}
          <Bar yAxisId="pts" dataKey="issued" name={t("points.issued")} stackId="p" fill="#818cf8" />
          <Bar yAxisId="pts" dataKey="redeemedNeg" name={t("points.redeemed")} stackId="p" fill="#10b981" />
          <Bar yAxisId="pts" dataKey="expiredNeg" name={t("points.expired")} stackId="p" fill="#f59e0b" />
          <Line yAxisId="money" dataKey="liability" name={t("points.liability")} stroke="#f43f5e" strokeWidth={2} dot={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** Stored value (储值): top-ups, bonus, spend and refunds per period, and the prepaid liability (balance) at each period's end. */
export function WalletChart({ q }: ChartProps) {
  const t = useTranslations("dashboards.charts");
  const f = useFormat();
  const m = useMetric<Wallet>("wallet", q);
  const rows = (m.data?.series ?? []).map((r) => ({ ...r, spentNeg: -r.spent, refundedNeg: -r.refunded }));
  const hasData = rows.some((r) => r.toppedUp || r.spent || r.refunded || r.balance);
  return (
    <ChartCard
      id="wallet"
      title={t("wallet.title")}
      description={t("wallet.description", { balance: f.money(m.data?.total.balance) })}
      state={stateOf(m, hasData)}
      height={300}
      csv={{
        filename: csvName("wallet", q),
        columns: [
          { key: "period", label: t("period") },
          { key: "toppedUpYuan", label: t("wallet.toppedUp") },
          { key: "bonusYuan", label: t("wallet.bonusIssued") },
          { key: "spentYuan", label: t("wallet.spent") },
          { key: "refundedYuan", label: t("wallet.refunded") },
          { key: "balanceYuan", label: t("wallet.balance") },
        ],
        rows: rows.map((r) => ({ ...r, toppedUpYuan: yuan(r.toppedUp), bonusYuan: yuan(r.bonusIssued), spentYuan: yuan(r.spent), refundedYuan: yuan(r.refunded), balanceYuan: yuan(r.balance) })),
      }}
    >
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart data={rows} stackOffset="sign">
          {grid}
          <XPeriod f={f} granularity={q.granularity} />
          <YAxis {...axisProps} tickFormatter={f.moneyAxis} width={64} />
          <Tooltip formatter={tooltipFormatter({ spentNeg: (v) => f.money(-v), refundedNeg: (v) => f.money(-v) }, f.money)} />
          {legend}
          <Bar dataKey="toppedUp" name={t("wallet.toppedUp")} stackId="w" fill="#818cf8" />
          <Bar dataKey="bonusIssued" name={t("wallet.bonusIssued")} stackId="w" fill="#c7d2fe" />
          <Bar dataKey="spentNeg" name={t("wallet.spent")} stackId="w" fill="#10b981" />
          <Bar dataKey="refundedNeg" name={t("wallet.refunded")} stackId="w" fill="#f59e0b" />
          <Line dataKey="balance" name={t("wallet.balance")} stroke="#f43f5e" strokeWidth={2} dot={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

"use client";
import { useTranslations } from "next-intl";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Memberships } from "@/lib/metrics/memberships";
import { ChartCard, stateOf } from "./chart-card";
import type { ChartProps } from "./charts";
import { useFormat } from "./format";
import { useMetric } from "./use-metric";

const axisProps = { tick: { fontSize: 12, fill: "#6b7280" }, tickLine: false, axisLine: { stroke: "#e5e7eb" } } as const;

/** The revenue dashboard's paid-membership card (付费会员): members holding a card, starts, renewals, ends; card revenue and renewal rate. */
export function MembershipsChart({ q }: ChartProps) {
  const t = useTranslations("membership.chart");
  const f = useFormat();
  const m = useMetric<Memberships, Memberships>("memberships", q);
  const rows = m.data?.series ?? [];
  const total = m.data?.total;
  const hasData = rows.some((r) => r.active || r.started || r.ended || r.revenue);
  return (
    <ChartCard
      id="memberships"
      title={t("title")}
      description={t("description", { revenue: f.money(total?.revenue), rate: f.percent(total?.renewalRate), active: f.count(total?.active) })}
      state={stateOf(m, hasData)}
      height={300}
      csv={{
        filename: `memberships_${q.from}_${q.to}${q.tier ? `_${q.tier}` : ""}.csv`,
        columns: [
          { key: "period", label: t("period") },
          { key: "active", label: t("active") },
          { key: "started", label: t("started") },
          { key: "renewed", label: t("renewed") },
          { key: "ended", label: t("ended") },
          { key: "renewalRate", label: t("renewalRate") },
          { key: "revenueYuan", label: t("revenue") },
        ],
        rows: rows.map((r) => ({ ...r, renewalRate: r.renewalRate ?? "", revenueYuan: (r.revenue / 100).toFixed(2) })),
      }}
    >
      <div className="mb-3 grid grid-cols-3 gap-3 text-sm" data-testid="memberships-kpi">
        <div>
          <p className="text-xs text-gray-500">{t("active")}</p>
          <p className="text-lg font-semibold tabular-nums text-gray-900">{f.count(total?.active)}</p>
        </div>
        <div>
          <p className="text-xs text-gray-500">{t("renewalRate")}</p>
          <p className="text-lg font-semibold tabular-nums text-gray-900">{f.percent(total?.renewalRate)}</p>
        </div>
        <div>
          <p className="text-xs text-gray-500">{t("revenue")}</p>
          <p className="text-lg font-semibold tabular-nums text-gray-900">{f.money(total?.revenue)}</p>
        </div>
      </div>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows}>
          <CartesianGrid stroke="#f3f4f6" vertical={false} />
          <XAxis dataKey="period" {...axisProps} tickFormatter={(p: string) => f.period(p, q.granularity)} />
          <YAxis {...axisProps} allowDecimals={false} tickFormatter={f.countAxis} width={48} />
          <Tooltip formatter={(v: unknown) => f.count(Number(v))} />
          <Legend iconSize={10} formatter={(v: unknown) => <span className="text-xs text-gray-600">{String(v)}</span>} />
          <Bar dataKey="started" name={t("started")} fill="#818cf8" />
          <Bar dataKey="renewed" name={t("renewed")} fill="#10b981" />
          <Bar dataKey="ended" name={t("ended")} fill="#f59e0b" />
          <Line dataKey="active" name={t("active")} stroke="#f43f5e" strokeWidth={2} dot={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

"use client";
import { useTranslations } from "next-intl";
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Mall } from "@/lib/metrics/mall";
import { ChartCard, stateOf } from "./chart-card";
import type { ChartProps } from "./charts";
import { useFormat } from "./format";
import { useMetric } from "./use-metric";

const axisProps = { tick: { fontSize: 12, fill: "#6b7280" }, tickLine: false, axisLine: { stroke: "#e5e7eb" } } as const;

/** The points dashboard's mall card: per item, orders net of cancellations, points taken, cash collected and goods cost. */
export function MallChart({ q }: ChartProps) {
  const t = useTranslations("mall.chart");
  const f = useFormat();
  const m = useMetric<Mall, Mall>("mall", q);
  const rows = Object.entries(m.data?.total ?? {}).map(([itemId, x]) => ({ itemId, ...x }));
  const hasData = rows.some((r) => r.orders !== 0 || r.points !== 0);
  return (
    <ChartCard
      id="mall"
      title={t("title")}
      description={t("description")}
      state={stateOf(m, hasData)}
      csv={{
        filename: `mall_${q.from}_${q.to}${q.tier ? `_${q.tier}` : ""}.csv`,
        columns: [
          { key: "itemId", label: t("item") },
          { key: "orders", label: t("orders") },
          { key: "quantity", label: t("quantity") },
          { key: "points", label: t("points") },
          { key: "cashYuan", label: t("cash") },
          { key: "costYuan", label: t("cost") },
        ],
        rows: rows.map((r) => ({ ...r, cashYuan: (r.cash / 100).toFixed(2), costYuan: (r.cost / 100).toFixed(2) })),
      }}
    >
      <ResponsiveContainer width="100%" height={Math.max(200, rows.length * 40)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24 }}>
          <XAxis type="number" {...axisProps} allowDecimals={false} tickFormatter={f.countAxis} />
          <YAxis type="category" dataKey="itemId" {...axisProps} width={110} />
          <Tooltip formatter={(v: unknown) => f.count(Number(v))} cursor={{ fill: "#eef2ff" }} />
          <Bar dataKey="points" name={t("points")} fill="#4f46e5" />
        </BarChart>
      </ResponsiveContainer>
      <table className="mt-3 w-full text-sm" data-testid="mall-kpi-table">
        <thead>
          <tr className="text-left text-xs text-gray-500">
            <th className="py-1 font-medium">{t("item")}</th>
            <th className="py-1 text-right font-medium">{t("orders")}</th>
            <th className="py-1 text-right font-medium">{t("quantity")}</th>
            <th className="py-1 text-right font-medium">{t("points")}</th>
            <th className="py-1 text-right font-medium">{t("cash")}</th>
            <th className="py-1 text-right font-medium">{t("cost")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {rows.map((r) => (
            <tr key={r.itemId}>
              <td className="py-1.5 font-mono text-xs text-gray-800">{r.itemId}</td>
              <td className="py-1.5 text-right tabular-nums">{f.count(r.orders)}</td>
              <td className="py-1.5 text-right tabular-nums">{f.count(r.quantity)}</td>
              <td className="py-1.5 text-right tabular-nums">{f.count(r.points)}</td>
              <td className="py-1.5 text-right tabular-nums">{f.money(r.cash)}</td>
              <td className="py-1.5 text-right tabular-nums">{f.money(r.cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ChartCard>
  );
}

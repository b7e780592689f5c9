"use client";
import {
  LifecycleChart,
  MemberRoiChart,
  PointsChart,
  WalletChart,
  RepurchaseArpuChart,
  RetentionChart,
  RevenueShareChart,
  RfmGridChart,
  RightsCostChart,
  RightsUsageChart,
  TierChangesChart,
  TierDistributionChart,
  TierNowChart,
  type ChartProps,
} from "./charts";
import { DashboardFiltersBar, useDashboardFilters, type NamedCode } from "./dashboard-filters";
import { DashboardNav } from "./dashboard-nav";
import type { DashboardGroup } from "./groups";
import { KpiCards } from "./kpi-cards";
import { MallChart } from "./mall-chart";
import { MembershipsChart } from "./memberships-chart";

interface Props {
  /** The merchant's business date today. */
  today: string;
  tiers: NamedCode[];
  rights: NamedCode[];
  /** Which page: the overview or a metric group. */
  view: "overview" | DashboardGroup;
}

/** A dashboard page: tabs, the filters of the URL and the charts of the view. */
export function Dashboard({ today, tiers, rights, view }: Props) {
  const filters = useDashboardFilters(today, tiers);
  const props: ChartProps = { q: { from: filters.from, to: filters.to, granularity: filters.granularity, tier: filters.tier }, tiers, rights };
  return (
    <>
      <DashboardNav />
      <DashboardFiltersBar filters={filters} tiers={tiers} />
      {view === "overview" ? (
        <>
          <KpiCards q={props.q} />
          <div className="grid gap-6 lg:grid-cols-2">
            <RevenueShareChart {...props} />
            <RightsCostChart {...props} />
            <TierNowChart {...props} />
            <LifecycleChart {...props} over={false} />
          </div>
        </>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          {view === "tiers" ? (
            <>
              <TierDistributionChart {...props} />
              <TierNowChart {...props} />
              <div className="lg:col-span-2">
                <TierChangesChart {...props} />
              </div>
            </>
          ) : view === "rights" ? (
            <>
              <RightsUsageChart {...props} />
              <RightsCostChart {...props} />
            </>
          ) : view === "revenue" ? (
            <>
              <MemberRoiChart {...props} />
              <RepurchaseArpuChart {...props} />
              <RevenueShareChart {...props} />
              <div className="lg:col-span-2">
                <MembershipsChart {...props} />
              </div>
            </>
          ) : view === "lifecycle" ? (
            <>
              <LifecycleChart {...props} />
              <RfmGridChart {...props} />
              <div className="lg:col-span-2">
                <RetentionChart {...props} />
              </div>
            </>
          ) : (
            <>
              <div className="lg:col-span-2">
                <PointsChart {...props} />
              </div>
              <div className="lg:col-span-2">
                <WalletChart {...props} />
              </div>
              <div className="lg:col-span-2">
                <MallChart {...props} />
              </div>
            </>
          )}
        </div>
      )}
    </>
  );
}

import type { Metric } from "./common";
import { tierDistribution } from "./tier-distribution";
import { tierChanges } from "./tier-changes";
import { rightsUsage } from "./rights-usage";
import { rightsCost } from "./rights-cost";
import { memberRoi } from "./member-roi";
import { repurchase } from "./repurchase";
import { arpu } from "./arpu";
import { revenueShare } from "./revenue-share";
import { lifecycle } from "./lifecycle";
import { points } from "./points";
import { retention } from "./retention";
import { rfm } from "./rfm";
import { wallet } from "./wallet";
import { mall } from "./mall";
import { memberships } from "./memberships";

/**
 * The KPIs of metrics.md by their API name. Each is computed straight from the raw tables (the
 * reference any faster, aggregate-based path must agree with).
 */
export const metrics = {
  "tier-distribution": tierDistribution,
  "tier-changes": tierChanges,
  "rights-usage": rightsUsage,
  "rights-cost": rightsCost,
  "member-roi": memberRoi,
  repurchase,
  arpu,
  "revenue-share": revenueShare,
  lifecycle,
  points,
  retention,
  rfm,
  wallet,
  mall,
  memberships,
} satisfies Record<string, Metric>;

export type MetricName = keyof typeof metrics;
export const metricNames = Object.keys(metrics) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(metrics, name);
}

export type { Metric, MetricParams, MetricResult } from "./common";
export type { Granularity, Period } from "./periods";
export { periodsOf } from "./periods";

import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { addDays, daysInMonth } from "@/lib/util/dates";
import { metricContext, num, periodTable, ratio, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { checkoutAndMallCostHeld, netSpendHeld, rightsCostHeld } from "./held-tier";
import type { Period } from "./periods";

export interface MemberRoi {
  memberSpend: number;
  rightsCost: number;
  operatingCost: number;
  roi: number | null;
}

/**
 * member-roi: memberSpend and rightsCost as in rights-cost; operatingCost = the monthly costs
 * (tool + labour + other) prorated by days: each business day of the period costs
 * monthly / days-in-its-month, under the program in force at the end of that day; summed exactly
 * and rounded to the fen once per period (half up). roi = memberSpend / (rightsCost + operatingCost).
 */
export async function memberRoi(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("member-roi", ctx, (periods) => compute(ctx, periods));
}

// lcm(28, 29, 30, 31): every day's share of a month is a whole number of these parts.
const PARTS = 377_580n;

/** Operating cost of business days start..end in fen, prorated by days. */
export async function operatingCost(ctx: MetricContext, period: Period): Promise<number> {
  let parts = 0n;
  for (let d = period.start; d <= period.end; d = addDays(d, 1)) {
    const { toolFen, labourFen, otherFen } = (await ctx.programOn(d)).costs;
    parts += (BigInt(toolFen + labourFen + otherFen) * PARTS) / BigInt(daysInMonth(d));
  }
  return Number((2n * parts + PARTS) / (2n * PARTS));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<MemberRoi[]> {
  const rows = await queryRows<{ rights_cost: number; member_spend: number }>(
    ctx.db,
    sql`select p.i, ${rightsCostHeld(ctx)} + ${checkoutAndMallCostHeld(ctx)} as rights_cost, ${netSpendHeld(ctx, "members")} as member_spend
        from ${periodTable(periods)} order by p.i`,
  );
  const out: MemberRoi[] = [];
  for (const [i, r] of rows.entries()) {
    const memberSpend = num(r.member_spend);
    const rightsCost = num(r.rights_cost);
    const operating = await operatingCost(ctx, periods[i]);
    out.push({ memberSpend, rightsCost, operatingCost: operating, roi: ratio(memberSpend, rightsCost + operating) });
  }
  return out;
}

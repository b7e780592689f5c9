import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { metricContext, num, periodTable, ratio, rowsByPeriod, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import type { Period } from "./periods";
import { tierIs } from "./tier-at-time";

export interface RightUsage {
  issued: number;
  redeemed: number;
  usageRate: number | null;
}
export type RightsUsage = Record<string, RightUsage>;

/**
 * rights-usage, per right code: issued = instances with issued_date in the period; redeemed = those
 * of them redeemed by now (redeemed_at set, whenever); usageRate = redeemed / issued. Keys: the
 * program's right codes now, then any other code found among the instances. Tier filter: instances
 * issued for that tier (right_instances.tier_code; automation grants have none).
 */
export async function rightsUsage(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("rights-usage", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<RightsUsage[]> {
  const byPeriod = await rowsByPeriod<{ i: number; right_code: string; issued: number; redeemed: number }>(
    ctx,
    sql`select p.i, ri.right_code, count(*)::int as issued, count(ri.redeemed_at)::int as redeemed
        from ${periodTable(periods)}
        join right_instances ri on ri.merchant_id = ${ctx.merchantId}
          and ri.issued_date between p.p_start and p.p_end ${tierIs(ctx, sql`ri.tier_code`)}
        group by p.i, ri.right_code`,
  );
  const codes = new Set(ctx.program.rights.map((r) => r.code));
  for (const rows of byPeriod.values()) for (const r of rows) codes.add(r.right_code);
  return periods.map((_, i) => {
    const out: RightsUsage = {};
    for (const code of codes) out[code] = { issued: 0, redeemed: 0, usageRate: null };
    for (const r of byPeriod.get(i) ?? []) {
      const issued = num(r.issued);
      const redeemed = num(r.redeemed);
      out[r.right_code] = { issued, redeemed, usageRate: ratio(redeemed, issued) };
    }
    return out;
  });
}

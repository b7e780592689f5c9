import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { currentProgram } from "@/lib/program/store";
import type { Program } from "@/lib/schemas/program";
import { addDays, businessDate } from "@/lib/util/dates";
import { tierMonthlyCosts } from "./costs";

export interface TierPreview {
  code: string;
  name: { zh: string; en: string } | null;
  /** Members in the tier now. */
  before: number;
  /** Members the proposed thresholds put in the tier. */
  after: number;
  /** Of the members in the tier now, how many would move up / down. */
  movingUp: number;
  movingDown: number;
  /** Estimated rights cost per member per month (fen), now and proposed; null where the tier doesn't exist. */
  costPerMemberBefore: number | null;
  costPerMemberAfter: number | null;
}

export interface ProgramPreview {
  members: number;
  movedUp: number;
  movedDown: number;
  tiers: TierPreview[];
  /** Estimated monthly rights cost (fen) now and with the proposed program. */
  monthlyCostBefore: number;
  monthlyCostAfter: number;
  /** Members' net spend over the last 30 business days (fen): the cost rate's denominator. */
  memberSpend30d: number;
  costRateBefore: number | null;
  costRateAfter: number | null;
  /** The business date the windows are counted to. */
  asOf: string;
}

type Tier = Program["tiers"][number];
type Window = Tier["thresholds"][number]["window"];
const col = { growth: "g", spend: "s", orders: "o" } as const;
const suffix: Record<Window, string> = { lifetime: "l", rolling12m: "r", calendarYear: "y" };

/** The SQL condition "the member meets this tier's thresholds", over the columns of `m` below. */
function meets(t: Tier): SQL {
  if (t.thresholds.length === 0) return sql`true`;
  const parts = t.thresholds.map((th) => sql`${sql.raw(`m.${col[th.measure]}_${suffix[th.window]}`)} >= ${th.value}`);
  return sql`(${sql.join(parts, sql.raw(t.thresholdMode === "all" ? " and " : " or "))})`;
}

/**
 * What a proposed program would do to the merchant's members, before it is saved: per tier, how
 * many members are in it now and would be under the proposed thresholds (the highest tier whose
 * thresholds each member's measures meet, as the engine upgrades), how many would move up or down,
 * and the estimated monthly rights cost and cost rate now and after. One set-based query over the
 * members (grouped, never row by row), so it stays fast at 100,000 members.
 *
 * Measures: lifetime ones from the members table (growth, lifetime_spend, order_count); rolling
 * 12-month and calendar-year ones from the growth ledger and orders, only when a threshold uses them.
 * Monthly cost: Σ tiers (monthly-cadence cells per member × members) + (birthday cells per member ×
 * members with a birthday ÷ 12). Cost rate: monthly cost ÷ members' net spend of the last 30 days.
 */
export async function previewProgramChange(
  db: Db,
  merchantId: string,
  proposed: Program,
  opts: { today?: string } = {},
): Promise<ProgramPreview> {
  const current = await currentProgram(db, merchantId);
  const today = opts.today ?? businessDate(new Date(), proposed.timeZone);
  const windowed = proposed.tiers.some((t) => t.thresholds.some((th) => th.window !== "lifetime"));
  const from12 = addDays(today, -364);
  const yearStart = `${today.slice(0, 4)}-01-01`;

  const windowCols = windowed
    ? sql`, coalesce(gw.r, 0) as g_r, coalesce(gw.y, 0) as g_y, coalesce(ow.sr, 0) as s_r, coalesce(ow.sy, 0) as s_y, coalesce(ow.cr, 0) as o_r, coalesce(ow.cy, 0) as o_y`
    : sql``;
  const windowJoins = windowed
    ? sql`left join (
            select member_id,
                   sum(delta) filter (where business_date >= ${from12}) as r,
                   sum(delta) filter (where business_date >= ${yearStart}) as y
              from growth_ledger
             where merchant_id = ${merchantId} and business_date >= least(${from12}::date, ${yearStart}::date) and business_date <= ${today}
             group by member_id) gw on gw.member_id = mm.member_id
          left join (
            select member_id,
                   sum(amount - refunded_amount) filter (where business_date >= ${from12}) as sr,
                   sum(amount - refunded_amount) filter (where business_date >= ${yearStart}) as sy,
                   count(*) filter (where business_date >= ${from12} and refunded_amount < amount) as cr,
                   count(*) filter (where business_date >= ${yearStart} and refunded_amount < amount) as cy
              from orders
             where merchant_id = ${merchantId} and member_id is not null
               and business_date >= least(${from12}::date, ${yearStart}::date) and business_date <= ${today}
             group by member_id) ow on ow.member_id = mm.member_id`
    : sql``;

  const rankCase = sql.join(
    proposed.tiers
      .map((t, i) => ({ t, i }))
      .slice(1)
      .reverse()
      .map(({ t, i }) => sql`when ${meets(t)} then ${i}`),
    sql` `,
  );
  const rankExpr = proposed.tiers.length > 1 ? sql`case ${rankCase} else 0 end` : sql`0`;

  const groups = await queryRows<{ tier_code: string; after_rank: number; has_birthday: boolean; n: number }>(
    db,
    sql`with m as (
          select mm.tier_code, mm.birthday is not null as has_birthday,
                 mm.growth as g_l, mm.lifetime_spend as s_l, mm.order_count as o_l ${windowCols}
            from members mm ${windowJoins}
           where mm.merchant_id = ${merchantId})
        select m.tier_code, (${rankExpr})::int as after_rank, m.has_birthday, count(*)::int as n
          from m group by 1, 2, 3`,
  );
  const [spendRow] = await queryRows<{ spend: number | string | null }>(
    db,
    sql`select coalesce(sum(amount - refunded_amount), 0) as spend from orders
         where merchant_id = ${merchantId} and member_id is not null
           and business_date > ${addDays(today, -30)} and business_date <= ${today}`,
  );
  const memberSpend30d = Number(spendRow?.spend ?? 0);

  const costsBefore = tierMonthlyCosts(current);
  const costsAfter = tierMonthlyCosts(proposed);
  const rows = new Map<string, TierPreview>();
  const row = (code: string) => {
    let r = rows.get(code);
    if (!r) {
      const t = proposed.tiers.find((x) => x.code === code) ?? current.tiers.find((x) => x.code === code);
      r = {
        code,
        name: t?.name ?? null,
        before: 0,
        after: 0,
        movingUp: 0,
        movingDown: 0,
        costPerMemberBefore: costsBefore[code]?.perMemberMonth ?? null,
        costPerMemberAfter: costsAfter[code]?.perMemberMonth ?? null,
      };
      rows.set(code, r);
    }
    return r;
  };
  for (const t of proposed.tiers) row(t.code);
  for (const t of current.tiers) row(t.code);

  let members = 0;
  let movedUp = 0;
  let movedDown = 0;
  let monthlyCostBefore = 0;
  let monthlyCostAfter = 0;
  for (const g of groups) {
    const n = Number(g.n);
    members += n;
    const afterCode = proposed.tiers[g.after_rank].code;
    const from = row(g.tier_code);
    from.before += n;
    row(afterCode).after += n;
    if (afterCode !== g.tier_code) {
      const inProposed = proposed.tiers.findIndex((t) => t.code === g.tier_code);
      const beforeRank = inProposed >= 0 ? inProposed : current.tiers.findIndex((t) => t.code === g.tier_code);
      if (g.after_rank > beforeRank) {
        from.movingUp += n;
        movedUp += n;
      } else {
        from.movingDown += n;
        movedDown += n;
      }
    }
    const cb = costsBefore[g.tier_code];
    if (cb) monthlyCostBefore += n * cb.monthly + (g.has_birthday ? (n * cb.birthday) / 12 : 0);
    const ca = costsAfter[afterCode];
    monthlyCostAfter += n * ca.monthly + (g.has_birthday ? (n * ca.birthday) / 12 : 0);
  }
  const order = [...proposed.tiers.map((t) => t.code), ...current.tiers.map((t) => t.code).filter((c) => !proposed.tiers.some((t) => t.code === c))];
  const rate = (cost: number) => (memberSpend30d > 0 ? cost / memberSpend30d : null);
  return {
    members,
    movedUp,
    movedDown,
    tiers: order.map((c) => rows.get(c)!).concat([...rows.values()].filter((r) => !order.includes(r.code))),
    monthlyCostBefore: Math.round(monthlyCostBefore),
    monthlyCostAfter: Math.round(monthlyCostAfter),
    memberSpend30d,
    costRateBefore: rate(monthlyCostBefore),
    costRateAfter: rate(monthlyCostAfter),
    asOf: today,
  };
}

import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { currentProgram } from "@/lib/program/store";
import type { Program } from "@/lib/schemas/program";
import { addDays, businessDate, startOfBusinessDate } from "@/lib/util/dates";
import { planMonthlyCosts, tierMonthlyCosts } from "./costs";

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
  /** Some of the members moving up / down (member ids, at most PREVIEW_SAMPLE each, by id), to show who they are. */
  upSample: string[];
  downSample: string[];
}

/** How many of a tier's moving members the preview names. */
export const PREVIEW_SAMPLE = 20;

export interface ProgramPreview {
  members: number;
  movedUp: number;
  movedDown: number;
  tiers: TierPreview[];
  /** Estimated monthly rights cost (fen) now and with the proposed program: the tiers' and the paid-membership plans'. */
  monthlyCostBefore: number;
  monthlyCostAfter: number;
  /** Of which the plans' monthly rights for the cards running at the end of `asOf` (fen). */
  planCostBefore: number;
  planCostAfter: number;
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

/** SQL: the rank of the highest of `tiers` whose thresholds the member meets (0: the entry tier). */
function rankExpr(tiers: Tier[]): SQL {
  if (tiers.length <= 1) return sql`0`;
  const cases = tiers
    .map((t, i) => ({ t, i }))
    .slice(1)
    .reverse()
    .map(({ t, i }) => sql`when ${meets(t)} then ${i}`);
  return sql`case ${sql.join(cases, sql` `)} else 0 end`;
}

/**
 * What a proposed program would do to the merchant's members, before it is saved: per tier, how
 * many members are in it now and would be after the change, how many would move up or down (a member
 * moves when the highest tier whose thresholds they meet differs between the program in force and
 * the proposed one; then to the proposed one, as the engine upgrades),
 * and the estimated monthly rights cost and cost rate now and after. One set-based query over the
 * members (grouped, never row by row), so it stays fast at 100,000 members.
 *
 * Measures: lifetime ones from the members table (growth, lifetime_spend, order_count); rolling
 * 12-month and calendar-year ones from the growth ledger and orders, only when a threshold uses them.
 * Monthly cost: Σ tiers (monthly-cadence cells per member × members) + (birthday cells per member ×
 * members with a birthday ÷ 12) + Σ plans (monthly plan rights per card × cards running at the end of
 * the day). Cost rate: monthly cost ÷ members' net spend of the last 30 days.
 */
export async function previewProgramChange(
  db: Db,
  merchantId: string,
  proposed: Program,
  opts: { today?: string } = {},
): Promise<ProgramPreview> {
  const current = await currentProgram(db, merchantId);
  const today = opts.today ?? businessDate(new Date(), proposed.timeZone);
  const windowed = [...current.tiers, ...proposed.tiers].some((t) => t.thresholds.some((th) => th.window !== "lifetime"));
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

  // Each member's tier as the thresholds alone would place them, under the program in force and
  // under the proposed one. A member's tier now also depends on history the thresholds don't see
  // (retention keeps a member below the tier their growth reaches until the period job moves them,
  // a trial, a manual tier), so the tier now is never compared with a recomputation: a member moves
  // only when the two recomputations differ, and then to the proposed one. An unchanged program
  // therefore moves nobody, and a new top tier is credited only with the members who reach it.
  const curRank = rankExpr(current.tiers);
  const newRank = rankExpr(proposed.tiers);
  const base = sql`with m as (
          select mm.member_id, mm.tier_code, mm.birthday is not null as has_birthday,
                 mm.growth as g_l, mm.lifetime_spend as s_l, mm.order_count as o_l ${windowCols}
            from members mm ${windowJoins}
           where mm.merchant_id = ${merchantId}),
        r as (select m.member_id, m.tier_code, m.has_birthday, (${curRank})::int as cur_rank, (${newRank})::int as new_rank from m)`;
  const groups = await queryRows<{ tier_code: string; cur_rank: number; new_rank: number; has_birthday: boolean; n: number }>(
    db,
    sql`${base}
        select tier_code, cur_rank, new_rank, has_birthday, count(*)::int as n
          from r group by 1, 2, 3, 4`,
  );
  const samples = await queryRows<{ member_id: string; tier_code: string; cur_rank: number; new_rank: number }>(
    db,
    sql`${base},
        s as (select r.*, row_number() over (partition by tier_code, cur_rank, new_rank order by member_id) as k
                from r where cur_rank <> new_rank)
        select member_id, tier_code, cur_rank, new_rank from s where k <= ${PREVIEW_SAMPLE} order by member_id`,
  );
  const [spendRow] = await queryRows<{ spend: number | string | null }>(
    db,
    sql`select coalesce(sum(amount - refunded_amount), 0) as spend from orders
         where merchant_id = ${merchantId} and member_id is not null
           and business_date > ${addDays(today, -30)} and business_date <= ${today}`,
  );
  const memberSpend30d = Number(spendRow?.spend ?? 0);
  // Cards running at the end of the day, by the plan of the purchase running then.
  const dayEnd = startOfBusinessDate(addDays(today, 1), proposed.timeZone).toISOString();
  const holders = await queryRows<{ plan_code: string; n: number }>(
    db,
    sql`select plan_code, count(distinct member_id)::int as n from memberships
         where merchant_id = ${merchantId} and refunded_at is null and starts_at < ${dayEnd}::timestamptz and ends_at >= ${dayEnd}::timestamptz
         group by plan_code`,
  );
  const plansBefore = planMonthlyCosts(current);
  const plansAfter = planMonthlyCosts(proposed);
  const planCostBefore = holders.reduce((sum, h) => sum + Number(h.n) * (plansBefore[h.plan_code] ?? 0), 0);
  const planCostAfter = holders.reduce((sum, h) => sum + Number(h.n) * (plansAfter[h.plan_code] ?? 0), 0);

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
        upSample: [],
        downSample: [],
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
  const inProposed = new Set(proposed.tiers.map((t) => t.code));
  /** The member's tier after the change: the tier now unless the change moves them (see above). */
  const afterOf = (g: { tier_code: string; cur_rank: number; new_rank: number }) => {
    const newCode = proposed.tiers[g.new_rank].code;
    return current.tiers[g.cur_rank]?.code === newCode && inProposed.has(g.tier_code) ? g.tier_code : newCode;
  };
  /** +1 up, −1 down, 0 staying. */
  const direction = (g: { tier_code: string; cur_rank: number; new_rank: number }) => {
    const afterCode = afterOf(g);
    if (afterCode === g.tier_code) return 0;
    const rankNow = inProposed.has(g.tier_code) ? proposed.tiers.findIndex((t) => t.code === g.tier_code) : current.tiers.findIndex((t) => t.code === g.tier_code);
    return proposed.tiers.findIndex((t) => t.code === afterCode) > rankNow ? 1 : -1;
  };
  for (const g of groups) {
    const n = Number(g.n);
    members += n;
    const afterCode = afterOf(g);
    const from = row(g.tier_code);
    from.before += n;
    row(afterCode).after += n;
    const d = direction(g);
    if (d > 0) {
      from.movingUp += n;
      movedUp += n;
    } else if (d < 0) {
      from.movingDown += n;
      movedDown += n;
    }
    const cb = costsBefore[g.tier_code];
    if (cb) monthlyCostBefore += n * cb.monthly + (g.has_birthday ? (n * cb.birthday) / 12 : 0);
    const ca = costsAfter[afterCode];
    monthlyCostAfter += n * ca.monthly + (g.has_birthday ? (n * ca.birthday) / 12 : 0);
  }
  monthlyCostBefore += planCostBefore;
  monthlyCostAfter += planCostAfter;
  for (const m of samples) {
    const d = direction(m);
    const list = d > 0 ? row(m.tier_code).upSample : d < 0 ? row(m.tier_code).downSample : null;
    if (list && list.length < PREVIEW_SAMPLE) list.push(m.member_id);
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
    planCostBefore,
    planCostAfter,
    memberSpend30d,
    costRateBefore: rate(monthlyCostBefore),
    costRateAfter: rate(monthlyCostAfter),
    asOf: today,
  };
}

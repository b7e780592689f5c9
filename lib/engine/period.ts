import { and, eq, min, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { events, periodRuns } from "@/db/schema";
import { currentProgram, programAt, type LoadedProgram } from "@/lib/program/store";
import { AppError } from "@/lib/errors";
import { addDays, addMonths, businessDate, daysInMonth, lastEndedBusinessDay, startOfBusinessDate } from "@/lib/util/dates";
import { Batch } from "./batch";
import { loadMembers, loadWindowed, lockKeys, lockMerchant } from "./load";
import { describeThresholds, qualifyingRank, windowsUsed } from "./rules";
import { writeBatch } from "./write";
import { invalidateRollupsFrom } from "@/lib/metrics/rollup";
import { extendAggregates, openDayAfter } from "@/lib/metrics/aggregates";
import { issuePlanMonthlyRights, membershipExpiringRows } from "./membership-period";

export interface PeriodRunResult {
  asOf: string;
  daysRun: string[];
}

/**
 * Refuses (400 `validation_failed` naming `asOf`) a period-job date later than the last business
 * day that has ended in `timeZone` at `now`: running a day not over yet would expire points early
 * and mark the day done for good.
 */
export function assertAsOfAllowed(asOf: string, timeZone: string, now: Date = new Date()): void {
  const last = lastEndedBusinessDay(timeZone, now);
  if (asOf > last) {
    const message = `must not be after ${last}, the last business day that has ended (${timeZone})`;
    throw new AppError("validation_failed", `asOf: ${message}`, [{ path: "asOf", message }]);
  }
}

/**
 * The check every caller that names a date runs before `runPeriodJob` (the API route, the CLI): the
 * merchant's time zone is its current program's. A merchant without a program has nothing to run.
 */
export async function assertMerchantAsOfAllowed(db: Db, merchantId: string, asOf: string, now: Date = new Date()): Promise<void> {
  let timeZone: string;
  try {
    timeZone = (await currentProgram(db, merchantId)).timeZone;
  } catch (e) {
    if (e instanceof AppError && e.code === "not_found") return;
    throw e;
  }
  assertAsOfAllowed(asOf, timeZone, now);
}

/**
 * Runs the period work for every business day from the merchant's earliest event up to and
 * including `asOf` that has not run yet. A day that has run is never run again, so re-running
 * changes nothing. `onDay` reports progress.
 */
export async function runPeriodJob(
  db: Db,
  merchantId: string,
  asOf: string,
  opts: { onDay?: (date: string, i: number, n: number) => void; refreshProjections?: boolean; analyze?: boolean; from?: string } = {},
): Promise<PeriodRunResult> {
  const [{ first }] = await db.select({ first: min(events.occurredAt) }).from(events).where(eq(events.merchantId, merchantId));
  if (!first) return { asOf, daysRun: [] };
  const tz = (await programAt(db, merchantId, first)).timeZone;
  // `from`: days before it are left alone (the scheduler starts at the merchant's go-live date).
  const start = [businessDate(first, tz), opts.from ?? ""].sort()[1];
  const done = new Set(
    (await db.select({ d: periodRuns.businessDate }).from(periodRuns).where(eq(periodRuns.merchantId, merchantId))).map((r) => r.d),
  );
  const todo: string[] = [];
  for (let d = start; d <= asOf; d = addDays(d, 1)) if (!done.has(d)) todo.push(d);
  for (let i = 0; i < todo.length; i++) {
    // Lifecycle and RFM are projections of "now": refreshed at the end of a run (and at month ends,
    // so history shows them), not on each day a long catch-up run passes through.
    await runDay(db, merchantId, todo[i], opts.refreshProjections !== false && i === todo.length - 1);
    opts.onDay?.(todo[i], i + 1, todo.length);
  }
  if (todo.length && opts.analyze !== false) await analyzeEngineTables(db);
  // The next day becomes the open day of the KPI aggregates (after the days' transactions: not under the merchant's lock).
  if (todo.length) await openDayAfter(db, merchantId, todo[todo.length - 1]);
  return { asOf, daysRun: todo };
}

async function runDay(db: Db, merchantId: string, date: string, last: boolean) {
  await db.transaction(async (tx) => {
    // One runner per merchant at a time; a day another runner finished is skipped.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${merchantId}:period`}, 0))`);
    const [ran] = await tx.select().from(periodRuns).where(and(eq(periodRuns.merchantId, merchantId), eq(periodRuns.businessDate, date)));
    if (ran) return;
    // The day's set-based updates (expiry, rights, lifecycle, RFM) change members without taking
    // their keys: hold the whole merchant, so no batch loads a member before and writes it after.
    await lockMerchant(tx, merchantId);
    const dayEnd = startOfBusinessDate(addDays(date, 1), (await programAt(tx, merchantId, new Date(Date.parse(`${date}T12:00:00Z`)))).timeZone);
    const p = await programAt(tx, merchantId, new Date(dayEnd.getTime() - 1));
    const at = new Date(dayEnd.getTime() - 1);
    const dayStart = startOfBusinessDate(date, p.timeZone);
    await expirePoints(tx, merchantId, p, date, dayStart, dayEnd, new Date());
    await tierMaintenance(tx, merchantId, p, date, at);
    if (date.endsWith("-01")) {
      await issueScheduledRights(tx, merchantId, p, date, dayStart, "monthly");
      await issueScheduledRights(tx, merchantId, p, date, dayStart, "birthday");
      await issuePlanMonthlyRights(tx, merchantId, p, date, dayStart);
    }
    // Paid-membership cards end by their endsAt (nothing to write). membership.ended: emitted by the event hook (cardsEnded(tx, merchantId, dayStart, dayEnd) lists the day's).
    await timeAutomations(tx, merchantId, p, date, dayStart, dayEnd);
    if (last || Number(date.slice(8, 10)) === daysInMonth(date)) {
      await updateLifecycle(tx, merchantId, p, date);
      await updateRfm(tx, merchantId, dayEnd);
    }
    await tx.insert(periodRuns).values({ merchantId, businessDate: date });
    await invalidateRollupsFrom(tx, merchantId, date);
    // Once a merchant has KPI aggregates (built after the demo seed, by `metrics rollup` or an earlier run), each closed day is added to them.
    await extendAggregates(tx, merchantId, date);
  });
}

/**
 * Lots whose expiry has come: one statement posts the expire rows, empties the lots and lowers
 * balances. Points an open checkout hold set aside (judged at the wall clock, as holds are) are not
 * expired: the hold may still be confirmed with them (its ledger row then says they came from an
 * expired lot). What such a hold leaves when it is released or lapses is expired by the next day's
 * run, with the source `expire:<lot>:<that day>` (a lot's first expiry is `expire:<lot>`), so the
 * balance stays Σ ledger = Σ lots remaining ≥ held.
 */
async function expirePoints(tx: Db, merchantId: string, p: LoadedProgram, date: string, dayStart: Date, dayEnd: Date, now: Date) {
  await tx.execute(sql`
    with c as (
      select l.id, l.member_id, l.source, l.expires_at, l.remaining - coalesce((
          select sum(hl.points) from hold_lots hl join holds h on h.merchant_id = hl.merchant_id and h.hold_id = hl.hold_id
          where hl.merchant_id = l.merchant_id and hl.member_id = l.member_id and hl.lot_id = l.id and h.status = 'held' and h.expires_at > ${now.toISOString()}::timestamptz
        ), 0) as n, l.remaining
      from points_lots l
      where l.merchant_id = ${merchantId} and l.remaining > 0 and l.expires_at <= ${dayEnd.toISOString()}::timestamptz
      for update of l
    ), x as (select * from c where n > 0
    ), u as (
      update points_lots l set remaining = l.remaining - x.n from x where l.merchant_id = ${merchantId} and l.member_id = x.member_id and l.id = x.id
    ), ins as (
      insert into points_ledger (merchant_id, member_id, delta, debt_delta, kind, source, rule, reason, program_version, occurred_at, business_date)
      select ${merchantId}, member_id, -n, 0, 'expire',
        'expire:' || id || case when expires_at <= ${dayStart.toISOString()}::timestamptz then ':' || ${date} else '' end, 'expiry',
        case when expires_at <= ${dayStart.toISOString()}::timestamptz then 'expired: points from ' || source || ' (left in the lot past its expiry: held by a checkout then, or given back by a refund since)'
          when n < remaining then 'expired: points from ' || source || ' (' || (remaining - n) || ' held by an open checkout are kept until it closes)'
          else 'expired: points from ' || source end,
        ${p.version}, ${new Date(dayEnd.getTime() - 1).toISOString()}::timestamptz, ${date}::date from x
    ), s as (select member_id, sum(n) as t from x group by member_id)
    update members m set points_balance = m.points_balance - s.t, updated_at = now()
    from s where m.merchant_id = ${merchantId} and m.member_id = s.member_id`);
}

/**
 * Ended trials, downgrades for inactivity and re-qualification, through the same batch writer as
 * events. Each member is held to the retention rule of the tier they are in now.
 */
async function tierMaintenance(tx: Db, merchantId: string, p: LoadedProgram, date: string, at: Date) {
  // A tier's rule with months k: checked against the start of the business day after (date − k months).
  const cutoff = (months: number) => startOfBusinessDate(addDays(addMonths(date, -months), 1), p.timeZone).toISOString();
  const tiers = JSON.stringify(
    p.tiers.map((t, rank) => ({ code: t.code, rank, kind: t.retention.kind, cutoff: t.retention.kind === "none" ? null : cutoff(t.retention.months) })),
  );
  const rows = await queryRows<{ member_id: string }>(
    tx,
    sql`select m.member_id from members m
        join jsonb_to_recordset(${tiers}::jsonb) as t(code text, rank int, kind text, cutoff timestamptz) on t.code = m.tier_code
        where m.merchant_id = ${merchantId} and m.registered_at <= ${at.toISOString()}::timestamptz and (
          (m.trial_until is not null and m.trial_until <= ${at.toISOString()}::timestamptz)
          or (t.rank > 0 and t.kind = 'inactivity' and greatest(coalesce(m.last_order_at, m.tier_since), m.tier_since) < t.cutoff)
          or (t.rank > 0 and t.kind = 'requalify' and m.tier_since < t.cutoff))`,
  );
  if (!rows.length) return;
  const ids = rows.map((x) => x.member_id);
  await lockKeys(tx, merchantId, ids.map((x) => `m:${x}`));
  const b = new Batch(merchantId);
  await loadMembers(tx, b, ids);
  if ([...windowsUsed(p)].some((w) => !w.endsWith(":lifetime"))) await loadWindowed(tx, b, ids, addDays(date, -400));
  for (const m of b.members.values()) {
    const rank = Math.max(0, p.tiers.findIndex((t) => t.code === m.tierCode));
    const r = rank > 0 ? p.tiers[rank].retention : ({ kind: "none" } as const);
    let to = rank;
    let reason = "";
    if (m.trialUntil && m.trialUntil <= at) {
      to = qualifyingRank(p, b.measuresOf(m, date));
      reason = "trial ended without an order";
      m.trialUntil = null;
    } else if (r.kind === "inactivity") {
      to = rank - 1;
      reason = `no paid order for ${r.months} months`;
    } else if (r.kind === "requalify") {
      to = Math.min(rank, qualifyingRank(p, b.measuresOf(m, date)));
      reason = to < rank ? `re-qualification: ${describeThresholds(p.tiers[rank], b.measuresOf(m, date))} not met` : "re-qualified";
    }
    m.dirty = true;
    if (to === rank) {
      m.tierSince = at; // re-qualified: the next check is a full period away
      continue;
    }
    b.tierRows.push({ memberId: m.memberId, fromTier: m.tierCode, toTier: p.tiers[to].code, direction: "down", reason, source: `period:${date}:tier:${m.memberId}`, changedAt: at, businessDate: date });
    m.tierCode = p.tiers[to].code;
    m.tierSince = at;
    m.manualTierCode = null;
  }
  await writeBatch(tx, b, []);
}

/** Monthly rights on the 1st for every member by tier; birthday-month rights on the 1st of the month. */
async function issueScheduledRights(tx: Db, merchantId: string, p: LoadedProgram, date: string, dayStart: Date, cadence: "monthly" | "birthday") {
  const cells = p.matrix
    .map((c) => ({ c, r: p.rights.find((r) => r.code === c.rightCode) }))
    .filter(({ c, r }) => r?.cadence === cadence && c.quantity > 0)
    .map(({ c, r }) => ({ tier_code: c.tierCode, right_code: c.rightCode, value: c.value, unit_cost: c.unitCost ?? r!.unitCost, quantity: c.quantity, validity_days: r!.validityDays }));
  if (!cells.length) return;
  const period = cadence === "monthly" ? date.slice(0, 7) : date.slice(0, 4);
  const birthdayFilter = cadence === "birthday" ? sql`and m.birthday is not null and extract(month from m.birthday) = ${Number(date.slice(5, 7))}` : sql``;
  await tx.execute(sql`
    insert into right_instances (merchant_id, grant_id, member_id, right_code, tier_code, value, unit_cost, source, issued_at, issued_date, expires_at)
    select ${merchantId}, gen_random_uuid()::text, m.member_id, c.right_code, m.tier_code, c.value, c.unit_cost,
      ${cadence} || ':' || ${period} || ':' || c.right_code || ':' || m.member_id || ':' || g.i,
      ${dayStart.toISOString()}::timestamptz, ${date}::date,
      case when c.validity_days is null then null else ${dayStart.toISOString()}::timestamptz + make_interval(days => c.validity_days) end
    from members m
    join jsonb_to_recordset(${JSON.stringify(cells)}::jsonb) as c(tier_code text, right_code text, value text, unit_cost bigint, quantity int, validity_days int)
      on c.tier_code = m.tier_code
    cross join lateral generate_series(1, c.quantity) as g(i)
    where m.merchant_id = ${merchantId} and m.registered_at < ${dayStart.toISOString()}::timestamptz ${birthdayFilter}
    on conflict do nothing`);
}

/** Birthday-in-N-days, no-order-for-N-days and points-expiring-in-N-days, each at most once per occasion or cooldown. */
async function timeAutomations(tx: Db, merchantId: string, p: LoadedProgram, date: string, dayStart: Date, dayEnd: Date) {
  for (const a of p.automations) {
    if (!a.enabled) continue;
    const t = a.trigger;
    let rows: { member_id: string; occasion: string }[] = [];
    const cooldown = a.cooldownDays
      ? sql`and not exists (select 1 from automation_firings f where f.merchant_id = ${merchantId} and f.automation_code = ${a.code} and f.member_id = m.member_id and f.fired_date > ${addDays(date, -a.cooldownDays)}::date)`
      : sql``;
    const registered = sql`m.merchant_id = ${merchantId} and m.registered_at < ${dayEnd.toISOString()}::timestamptz`;
    const idle = sql`coalesce(m.last_order_at, m.registered_at)`;
    // Each trigger picks the members whose condition starts today (every day is run, in order),
    // plus, with a cooldown, those whose cooldown ends today; candidates come from index ranges
    // and only they are checked in full, so a day costs the same at 5,000 or 1,000,000 members.
    const cooledDown = a.cooldownDays
      ? sql`union select f.member_id from automation_firings f where f.merchant_id = ${merchantId}
            and f.automation_code = ${a.code} and f.fired_date = ${addDays(date, -a.cooldownDays)}::date`
      : sql``;
    if (t.kind === "birthdayInDays") {
      const target = addDays(date, t.days);
      rows = await queryRows(tx, sql`select m.member_id, ${`birthday:${target.slice(0, 4)}`} as occasion from members m
        where ${registered} and to_char(m.birthday, 'MM-DD') = ${target.slice(5)} ${cooldown}`);
    } else if (t.kind === "noOrderForDays") {
      const from = startOfBusinessDate(addDays(date, -t.days), p.timeZone).toISOString();
      const to = startOfBusinessDate(addDays(date, -t.days + 1), p.timeZone).toISOString();
      rows = await queryRows(tx, sql`
        with cand as (
          -- coalesce(…, 'epoch') as the members list's index has it (no null is in a range after 1970).
          select member_id from members where merchant_id = ${merchantId}
            and coalesce(last_order_at, 'epoch'::timestamptz) >= ${from}::timestamptz and coalesce(last_order_at, 'epoch'::timestamptz) < ${to}::timestamptz
          union select member_id from members where merchant_id = ${merchantId} and last_order_at is null
            and registered_at >= ${from}::timestamptz and registered_at < ${to}::timestamptz
          ${cooledDown}
        )
        select m.member_id, ${a.cooldownDays ? sql`${`on:${date}`}` : sql`'idle-since:' || ${idle}::text`} as occasion
        from members m join cand on cand.member_id = m.member_id
        where ${registered} and ${idle} < ${to}::timestamptz ${cooldown}`);
    } else if (t.kind === "pointsExpiringInDays") {
      const from = startOfBusinessDate(addDays(date, t.days), p.timeZone).toISOString();
      const until = startOfBusinessDate(addDays(date, t.days + 1), p.timeZone).toISOString();
      rows = await queryRows(tx, sql`
        with cand as (
          select member_id from points_lots where merchant_id = ${merchantId} and remaining > 0
            and expires_at > ${from}::timestamptz and expires_at <= ${until}::timestamptz
          ${cooledDown}
        )
        select m.member_id, ${a.cooldownDays ? sql`${`on:${date}`}` : sql`'expiring:' || ${date}`} as occasion
        from members m join (select distinct member_id from cand) c on c.member_id = m.member_id
        where ${registered} and exists (select 1 from points_lots l where l.merchant_id = m.merchant_id and l.member_id = m.member_id
          and l.remaining > 0 and l.expires_at > ${dayEnd.toISOString()}::timestamptz and l.expires_at <= ${until}::timestamptz) ${cooldown}`);
    }
    else if (t.kind === "membershipExpiringInDays") rows = await membershipExpiringRows(tx, merchantId, p, date, t.days, registered, cooldown);
    if (!rows.length) continue;
    // Occasions already fired (for automations without a cooldown) are skipped by the firing key.
    const fired = new Set(
      (
        await queryRows<{ k: string }>(
          tx,
          sql`select member_id || '|' || occasion as k from automation_firings where merchant_id = ${merchantId} and automation_code = ${a.code}
              and member_id in (select jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.member_id))}::jsonb))`,
        )
      ).map((x) => x.k),
    );
    const todo = rows.filter((r) => !fired.has(`${r.member_id}|${r.occasion}`));
    if (!todo.length) continue;
    const ids = todo.map((r) => r.member_id);
    await lockKeys(tx, merchantId, ids.map((x) => `m:${x}`));
    const b = new Batch(merchantId);
    await loadMembers(tx, b, ids);
    for (const r of todo) {
      const m = b.members.get(r.member_id);
      if (m) b.fireAutomation(m, p, a, r.occasion, dayStart, date, { trigger: t.kind });
    }
    await writeBatch(tx, b, []);
  }
}

async function updateLifecycle(tx: Db, merchantId: string, p: LoadedProgram, date: string) {
  const from = (days: number) => startOfBusinessDate(addDays(date, -days + 1), p.timeZone).toISOString();
  await tx.execute(sql`
    update members m set lifecycle = x.l from (
      select member_id, case
        when registered_at >= ${from(p.lifecycle.newDays)}::timestamptz then 'new'
        when last_order_at is null or last_order_at < ${from(p.lifecycle.lostDays)}::timestamptz then 'lost'
        when last_order_at < ${from(p.lifecycle.dormantDays)}::timestamptz then 'dormant'
        else 'active' end as l
      from members where merchant_id = ${merchantId}) x
    where m.merchant_id = ${merchantId} and m.member_id = x.member_id and m.lifecycle <> x.l`);
}

/** RFM scores 1–5 by quintile over the trailing 12 months (recent, frequent, big spenders score 5). */
async function updateRfm(tx: Db, merchantId: string, dayEnd: Date) {
  const from = new Date(dayEnd.getTime() - 365 * 86_400_000).toISOString();
  await tx.execute(sql`
    with s as (
      select m.member_id, max(o.paid_at) as last, count(o.order_id) as f, coalesce(sum(o.amount - o.refunded_amount), 0) as mon
      from members m left join orders o on o.merchant_id = m.merchant_id and o.member_id = m.member_id
        and o.paid_at >= ${from}::timestamptz and o.paid_at < ${dayEnd.toISOString()}::timestamptz
      where m.merchant_id = ${merchantId} and m.registered_at < ${dayEnd.toISOString()}::timestamptz
      group by m.member_id
    ), q as (
      select member_id,
        ntile(5) over (order by last asc nulls first, member_id) as r,
        ntile(5) over (order by f, member_id) as f,
        ntile(5) over (order by mon, member_id) as mm
      from s
    )
    update members m set rfm_r = q.r, rfm_f = q.f, rfm_m = q.mm
    from q where m.merchant_id = ${merchantId} and m.member_id = q.member_id
      and (m.rfm_r, m.rfm_f, m.rfm_m) is distinct from (q.r::smallint, q.f::smallint, q.mm::smallint)`);
}

/**
 * Refreshes the planner's statistics. The embedded database has no autovacuum, and without
 * statistics its plans for the period job's index-range queries degrade to scans (54 ms → 0.2 ms a
 * query measured at 1,500 members); on PostgreSQL this only repeats what autovacuum does.
 */
export async function analyzeEngineTables(db: Db) {
  await db.execute(sql`analyze members, points_lots, automation_firings, right_instances, orders`);
}

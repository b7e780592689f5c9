import { sql } from "drizzle-orm";
import { runStmt, toQuery, type Db, type Pipeline } from "@/db/client";
import type { Batch, MemberState } from "./batch";
import { listText } from "./sql-json";

/** Batches with more keys than this are "big": at most MAX_BIG_IN_FLIGHT of them hold key locks at once per process. */
export const BIG_BATCH_KEYS = 256;
/** Above this many keys a batch locks its whole merchant instead (one lock, not thousands). */
const MERCHANT_WIDE_OVER = 2_100;
const MAX_BIG_IN_FLIGHT = 2;

/**
 * Serialises batches that touch the same members or orders. Every holder of key locks first holds
 * its merchant's lock in shared mode; a batch with more than MERCHANT_WIDE_OVER keys (a big import,
 * a period-job day) takes the merchant's lock exclusively instead. Keys are taken in sorted order,
 * the merchant's first, so two batches never deadlock. PostgreSQL's lock table holds about
 * 64 × max_connections locks: a 1,000-event batch takes up to ~2,000, so `withBigBatchSlot` lets
 * only MAX_BIG_IN_FLIGHT such batches of this process hold theirs at once (eight at once answered
 * "out of shared memory"), while two overlapping still apply ~1.7× faster than one merchant lock.
 */
export async function lockKeys(on: Db | Pipeline, merchantId: string, keys: string[]) {
  if (keys.length === 0) return;
  const unique = [...new Set(keys.map((k) => `${merchantId}:${k}`))].sort();
  if (unique.length > MERCHANT_WIDE_OVER) return lockMerchant(on, merchantId);
  await runStmt(on, { sql: LOCK_KEYS_SQL, params: [JSON.stringify([merchantLockKey(merchantId), ...unique])] });
}

/** The first key (the merchant's) shared, the others exclusive, in the order given. */
const LOCK_KEYS_SQL = `select count(case when s.i = 1 then pg_advisory_xact_lock_shared(hashtextextended(s.k, 0)) else pg_advisory_xact_lock(hashtextextended(s.k, 0)) end)
  from (select k, i from jsonb_array_elements_text($1::jsonb) with ordinality as t(k, i) order by i) s`;

let bigInFlight = 0;
const bigWaiting: (() => void)[] = [];

/** Runs a transaction that will lock `keys` keys, waiting for a slot first when that is a big per-key batch (see lockKeys). */
export async function withBigBatchSlot<T>(keys: number, f: () => Promise<T>): Promise<T> {
  if (keys <= BIG_BATCH_KEYS || keys > MERCHANT_WIDE_OVER) return f();
  while (bigInFlight >= MAX_BIG_IN_FLIGHT) await new Promise<void>((resolve) => bigWaiting.push(resolve));
  bigInFlight++;
  try {
    return await f();
  } finally {
    bigInFlight--;
    bigWaiting.shift()?.();
  }
}

const merchantLockKey = (merchantId: string) => `${merchantId}:*`;

/** Holds every member and order of the merchant until the transaction ends (see lockKeys). */
export async function lockMerchant(on: Db | Pipeline, merchantId: string) {
  await runStmt(on, toQuery(sql`select pg_advisory_xact_lock(hashtextextended(${merchantLockKey(merchantId)}, 0))`));
}

const chunk = <T>(xs: T[], n = 5000): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/** What a batch needs read; every list may be empty. */
export interface LoadRequest {
  /** Event ids: which are stored already, with their body hash. */
  eventIds?: string[];
  members?: string[];
  orders?: string[];
  /** Members whose open lots (remaining > 0) are needed. */
  lotMembers?: string[];
  /** Right instances by grant id. */
  grants?: string[];
  /** Right instances by redemption code (核销码). */
  codes?: string[];
  /** Orders being refunded: their confirmed checkout holds, with the lots, coupons (as rights) they took. */
  holdOrders?: string[];
  /** Once-only sources: which are stored (in the points ledger or as right instances). */
  sources?: string[];
  /**
   * Automation firings of these members on these business dates, loaded as once-only sources
   * `auto:<code>:<member>:<occasion>` (the key fireAutomation checks).
   */
  firings?: { members: string[]; dates: string[] };
  /** Rewarded shares and capped points per (member, business date), for these members and dates. */
  daily?: { members: string[]; dates: string[] };
  /** Per-day spend, orders and growth of these members since this date (rolling or calendar tier windows). */
  windowed?: { members: string[]; since: string };
  /** The program version list (version, start instant). */
  versions?: boolean;
  /** The instant open checkout holds are judged at (holds past their expiry hold nothing); now by default. */
  now?: Date;
}

export type Versions = { version: number; effectiveFrom: Date }[];

const rowsOf = (select: string) => `(select coalesce(json_agg(r), '[]') from (${select}) r)`;

/**
 * Everything a batch reads, as ONE statement answering one row of JSON arrays: one round trip,
 * planned once per connection (prepared), and no query building per call. Its text is constant;
 * the lists are JSON parameters.
 */
const LOAD_SQL = `select
  ${rowsOf(`select event_id as id, body_hash as hash from events where merchant_id = $1 and ${listText("event_id", 2)}`)} as events,
  ${rowsOf(`select member_id, name, phone, birthday, referrer_id, registered_at, tier_code, tier_since, manual_tier_code, trial_until, growth,
      points_balance, points_debt, lifetime_spend, order_count, last_order_at, last_checkin_date, checkin_streak, lifecycle, rfm_r, rfm_f, rfm_m
    from members where merchant_id = $1 and ${listText("member_id", 3)}`)} as members,
  ${rowsOf(`select order_id, member_id, event_id, paid_at, business_date, amount, member_discount, refunded_amount, points_earned, growth_earned,
      points_clawed, growth_clawed, tier_at_order
    from orders where merchant_id = $1 and ${listText("order_id", 4)}`)} as orders,
  ${rowsOf(`select l.id, l.member_id, l.source, l.earned_at, l.expires_at, l.amount, l.remaining,
      (select coalesce(sum(hl.points), 0) from hold_lots hl join holds h on h.merchant_id = hl.merchant_id and h.hold_id = hl.hold_id
        where hl.merchant_id = $1 and hl.member_id = l.member_id and hl.lot_id = l.id and h.status = 'held' and h.expires_at > $15::timestamptz) as held
    from points_lots l where l.merchant_id = $1 and ${listText("l.member_id", 5)} and l.remaining > 0`)} as lots,
  ${rowsOf(`select r.grant_id, r.member_id, r.right_code, r.tier_code, r.value, r.unit_cost, r.source, r.issued_at, r.issued_date, r.expires_at,
      r.redeemed_at, r.redeemed_date, r.code, r.voided_at,
      exists (select 1 from hold_grants hg join holds h on h.merchant_id = hg.merchant_id and h.hold_id = hg.hold_id
        where hg.merchant_id = $1 and hg.grant_id = r.grant_id and h.status = 'held' and h.expires_at > $15::timestamptz) as held
    from right_instances r where r.merchant_id = $1 and r.grant_id in (
      select x from jsonb_array_elements_text($6::jsonb) as t(x)
      union select c.grant_id from right_instances c where c.merchant_id = $1 and ${listText("c.code", 16)}
      union select hg.grant_id from hold_grants hg join holds h on h.merchant_id = hg.merchant_id and h.hold_id = hg.hold_id
        where h.merchant_id = $1 and ${listText("h.order_id", 17)} and h.status = 'confirmed')`)} as rights,
  ${rowsOf(`select h.hold_id, h.order_id, h.member_id, h.points, h.wallet,
      (select coalesce(json_agg(hg.grant_id), '[]') from hold_grants hg where hg.merchant_id = h.merchant_id and hg.hold_id = h.hold_id) as grants
    from holds h where h.merchant_id = $1 and ${listText("h.order_id", 17)} and h.status = 'confirmed'`)} as holds,
  ${rowsOf(`select hl.hold_id, hl.lot_id, hl.points, hl.returned, l.member_id, l.source, l.earned_at, l.expires_at, l.amount, l.remaining
    from holds h join hold_lots hl on hl.merchant_id = h.merchant_id and hl.hold_id = h.hold_id
      join points_lots l on l.merchant_id = hl.merchant_id and l.member_id = hl.member_id and l.id = hl.lot_id
    where h.merchant_id = $1 and ${listText("h.order_id", 17)} and h.status = 'confirmed'`)} as hold_lots,
  ${rowsOf(`select source from points_ledger where merchant_id = $1 and ${listText("source", 7)}
    union all select source from right_instances where merchant_id = $1 and ${listText("source", 7)}
    union all select 'auto:' || automation_code || ':' || member_id || ':' || occasion from automation_firings
      where merchant_id = $1 and ${listText("member_id", 13)} and ${listText("fired_date", 14, "date")}`)} as sources,
  ${rowsOf(`select member_id, business_date as date,
      count(*) filter (where rule = 'share' and delta - debt_delta > 0) as shares,
      coalesce(sum(delta - debt_delta) filter (where rule in ('checkin','review','share','profile','referral')), 0) as earned
    from points_ledger where merchant_id = $1 and ${listText("member_id", 8)} and ${listText("business_date", 9, "date")}
    group by member_id, business_date`)} as daily,
  ${rowsOf(`select member_id, business_date as date, sum(amount - refunded_amount) as spend, count(*) filter (where refunded_amount < amount) as n from orders
    where $11::date is not null and merchant_id = $1 and ${listText("member_id", 10)} and business_date >= $11::date group by member_id, business_date`)} as window_orders,
  ${rowsOf(`select member_id, business_date as date, sum(delta) as g from growth_ledger
    where $11::date is not null and merchant_id = $1 and ${listText("member_id", 10)} and business_date >= $11::date group by member_id, business_date`)} as window_growth,
  case when $12::boolean then ${rowsOf(`select version, effective_from from program_versions where merchant_id = $1 order by version`)} end as versions,
  (select coalesce(jsonb_agg(distinct t.x), '[]') from webhook_endpoints e, jsonb_array_elements_text(e.types) as t(x) where e.merchant_id = $1 and e.deleted_at is null) as webhook_types`;

type Json = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
const int = (v: unknown) => Number(v ?? 0);

/**
 * Loads into `b` what `req` asks for (members, orders, lots, rights, stored sources, daily counts,
 * windowed measures) and returns the stored event hashes and, when asked, the version list.
 */
export async function loadState(on: Db | Pipeline, b: Batch, req: LoadRequest): Promise<{ stored: Map<string, string>; versions: Versions | null }> {
  const json = (xs: string[] | undefined) => JSON.stringify(xs ? [...new Set(xs)] : []);
  const windowed = req.windowed ?? null;
  const [row] = await runStmt<Record<string, Json[] | null>>(on, { sql: LOAD_SQL, params: [
    b.merchantId,
    json(req.eventIds),
    json(req.members),
    json(req.orders),
    json(req.lotMembers),
    json(req.grants),
    json(req.sources),
    json(req.daily?.members),
    json(req.daily?.dates),
    json(windowed?.members),
    windowed?.since ?? null,
    req.versions === true,
    json(req.firings?.members),
    json(req.firings?.dates),
    (req.now ?? new Date()).toISOString(),
    json(req.codes),
    json(req.holdOrders),
  ] });
  for (const r of row.members ?? [])
    b.members.set(r.member_id as string, {
      memberId: r.member_id as string,
      name: str(r.name),
      phone: str(r.phone),
      birthday: str(r.birthday),
      referrerId: str(r.referrer_id),
      registeredAt: date(r.registered_at)!,
      tierCode: r.tier_code as string,
      tierSince: date(r.tier_since)!,
      manualTierCode: str(r.manual_tier_code),
      trialUntil: date(r.trial_until),
      growth: int(r.growth),
      pointsBalance: int(r.points_balance),
      pointsDebt: int(r.points_debt),
      lifetimeSpend: int(r.lifetime_spend),
      orderCount: int(r.order_count),
      lastOrderAt: date(r.last_order_at),
      lastCheckinDate: str(r.last_checkin_date),
      checkinStreak: int(r.checkin_streak),
      lifecycle: r.lifecycle as MemberState["lifecycle"],
      rfmR: int(r.rfm_r),
      rfmF: int(r.rfm_f),
      rfmM: int(r.rfm_m),
      isNew: false,
      dirty: false,
    });
  for (const r of row.orders ?? [])
    b.orders.set(r.order_id as string, {
      orderId: r.order_id as string,
      memberId: str(r.member_id),
      eventId: r.event_id as string,
      paidAt: date(r.paid_at)!,
      businessDate: r.business_date as string,
      amount: int(r.amount),
      memberDiscount: int(r.member_discount),
      refundedAmount: int(r.refunded_amount),
      pointsEarned: int(r.points_earned),
      growthEarned: int(r.growth_earned),
      pointsClawed: int(r.points_clawed),
      growthClawed: int(r.growth_clawed),
      tierAtOrder: str(r.tier_at_order),
      isNew: false,
      dirty: false,
    });
  // A lot as loaded; `held` is what open checkout holds set aside in it.
  const lotOf = (r: Record<string, unknown>, id: unknown, held: number) => ({
    id: int(id),
    key: String(id),
    source: r.source as string,
    memberId: r.member_id as string,
    earnedAt: date(r.earned_at)!,
    expiresAt: date(r.expires_at)!,
    amount: int(r.amount),
    remaining: int(r.remaining),
    held,
    dirty: false,
  });
  for (const r of row.lots ?? []) b.lotsOf(r.member_id as string).push(lotOf(r, r.id, int(r.held)));
  for (const r of row.rights ?? [])
    b.rights.set(r.grant_id as string, {
      grantId: r.grant_id as string,
      memberId: r.member_id as string,
      rightCode: r.right_code as string,
      tierCode: str(r.tier_code),
      value: str(r.value),
      unitCost: int(r.unit_cost),
      source: r.source as string,
      issuedAt: date(r.issued_at)!,
      issuedDate: r.issued_date as string,
      expiresAt: date(r.expires_at),
      redeemedAt: date(r.redeemed_at),
      redeemedDate: str(r.redeemed_date),
      code: str(r.code),
      voidedAt: date(r.voided_at),
      held: r.held === true,
      isNew: false,
      dirty: false,
    });
  for (const h of row.holds ?? []) {
    const list = b.orderHolds.get(h.order_id as string) ?? [];
    list.push({ holdId: h.hold_id as string, orderId: h.order_id as string, memberId: h.member_id as string, points: int(h.points), wallet: int(h.wallet), lots: [], grantIds: h.grants as unknown as string[] });
    b.orderHolds.set(h.order_id as string, list);
  }
  const holdsById = new Map([...b.orderHolds.values()].flat().map((h) => [h.holdId, h]));
  for (const r of row.hold_lots ?? []) {
    const hold = holdsById.get(r.hold_id as string);
    if (!hold) continue;
    hold.lots.push({ holdId: hold.holdId, lotId: int(r.lot_id), points: int(r.points), returned: int(r.returned), dirty: false });
    // A refund gives points back into this lot: have it in the batch even when it is empty (then nothing holds it either).
    const lots = b.lotsOf(r.member_id as string);
    if (!lots.some((l) => l.id === int(r.lot_id))) lots.push(lotOf(r, r.lot_id, 0));
  }
  for (const r of row.sources ?? []) b.existingSources.add(r.source as string);
  for (const r of row.daily ?? []) {
    b.shareCounts.set(`${r.member_id}:${r.date}`, int(r.shares));
    b.dailyEarned.set(`${r.member_id}:${r.date}`, int(r.earned));
  }
  if (windowed !== null) {
    b.windowed ??= new Map();
    for (const id of windowed.members) b.windowed.set(id, []);
    for (const o of row.window_orders ?? []) b.windowed.get(o.member_id as string)?.push({ date: o.date as string, spend: int(o.spend), growth: 0, orders: int(o.n) });
    for (const g of row.window_growth ?? []) b.windowed.get(g.member_id as string)?.push({ date: g.date as string, spend: 0, growth: int(g.g), orders: 0 });
  }
  const stored = new Map((row.events ?? []).map((r) => [r.id as string, r.hash as string]));
  // The webhook types the merchant listens to: the batch builds no domain event of another (batch-events.ts).
  b.webhookTypes = new Set((row.webhook_types ?? []) as unknown as string[]);
  const versions = row.versions ? row.versions.map((v) => ({ version: int(v.version), effectiveFrom: date(v.effective_from)! })) : null;
  return { stored, versions };
}

/** Members (in parts of 5,000), for the period job and operator actions. */
export async function loadMembers(tx: Db, b: Batch, ids: string[]) {
  for (const part of chunk([...new Set(ids)])) await loadState(tx, b, { members: part });
}

export async function loadLots(tx: Db, b: Batch, memberIds: string[]) {
  for (const part of chunk([...new Set(memberIds)])) await loadState(tx, b, { lotMembers: part });
}

/** Per-day spend, orders and growth since `since`, for tier thresholds over rolling or calendar windows. */
export async function loadWindowed(tx: Db, b: Batch, memberIds: string[], since: string) {
  b.windowed = new Map();
  for (const part of chunk([...new Set(memberIds)])) await loadState(tx, b, { windowed: { members: part, since } });
}

import type { Stmt } from "@/db/client";

/**
 * The checkout's statements (quote, hold, confirm) as plain text built once, run prepared: each
 * request reads all it needs in ONE statement answering one row of JSON (numbers as JSON numbers and
 * instants as ISO strings, the same from both drivers), and a hold or a confirmation writes all it
 * changes in one more (data-modifying CTEs, sent with COMMIT by pipelinedTransaction). Building these
 * through the query builder cost more CPU per request (~8.5 ms) than the database spent on them.
 */

/** A timestamp read back from JSON (json of a timestamptz is an ISO string with an offset). */
export const instant = (s: string) => new Date(s);

/** Open holds: held and not yet past their expiry at $now. */
const open = (h: string, now: string) => `${h}.status = 'held' and ${h}.expires_at > ${now}`;

/** Points set aside in lot `lot` (of member `member`) by open holds at $3. */
export const heldInLot = (member: string, lot: string) =>
  `(select coalesce(sum(x.points), 0) from hold_lots x join holds o on o.merchant_id = x.merchant_id and o.hold_id = x.hold_id
     where x.merchant_id = $1::text and x.member_id = ${member} and x.lot_id = ${lot} and ${open("o", "$3::timestamptz")})`;

/** Whether an open hold (at $3) other than `except` uses grant `grant`. */
const grantHeld = (grant: string, except: string) =>
  `exists (select 1 from hold_grants x join holds o on o.merchant_id = x.merchant_id and o.hold_id = x.hold_id
     where x.merchant_id = $1::text and x.grant_id = ${grant} and ${open("o", "$3::timestamptz")}${except ? ` and o.hold_id <> ${except}` : ""})`;

/** Points and stored value the member's open holds set aside at $3. */
export const heldTotals = (member: string) =>
  `(select json_build_object('points', coalesce(sum(o.points), 0), 'wallet', coalesce(sum(o.wallet), 0)) from holds o
     where o.merchant_id = $1::text and o.member_id = ${member} and ${open("o", "$3::timestamptz")})`;

const wallet = (member: string) => `(select json_build_object('principal', w.principal, 'bonus', w.bonus) from wallets w where w.merchant_id = $1::text and w.member_id = ${member})`;

/** The merchant's newest program version: the one a checkout uses (currentProgram). */
export const VERSION = `(select max(v.version) from program_versions v where v.merchant_id = $1::text)`;

export interface QuoteRow {
  balance: number | null;
  version: number | null;
  held: { points: number; wallet: number };
  wallet: { principal: number; bonus: number } | null;
  coupons: { grantId: string; code: string; rightCode: string; unitCost: number; expiresAt: string | null; held: boolean }[];
}

/**
 * GET …/checkout: $1 merchant, $2 member, $3 now, $4 the instant before which expired coupons are
 * no longer shown. The coupons are the member's unused instances of rights that are coupons in the
 * newest program version (soonest-expiring first, at most 100), each saying whether an open hold
 * has it.
 */
export const quoteStmt = (merchantId: string, memberId: string, now: Date, shownSince: Date): Stmt => ({ sql: QUOTE_SQL, params: [merchantId, memberId, now.toISOString(), shownSince.toISOString()] });
const QUOTE_SQL = `select json_build_object(
  'balance', (select m.points_balance from members m where m.merchant_id = $1::text and m.member_id = $2::text),
  'version', ${VERSION},
  'held', ${heldTotals("$2::text")},
  'wallet', ${wallet("$2::text")},
  'coupons', (select coalesce(json_agg(json_build_object('grantId', c.grant_id, 'code', c.code, 'rightCode', c.right_code, 'unitCost', c.unit_cost,
        'expiresAt', c.expires_at, 'held', ${grantHeld("c.grant_id", "")}) order by c.n), '[]')
      from (select r.*, row_number() over (order by r.expires_at asc, r.grant_id asc) as n from right_instances r
        where r.merchant_id = $1::text and r.member_id = $2::text and r.redeemed_at is null and r.voided_at is null
          and (r.expires_at is null or r.expires_at > $4::timestamptz)
          and r.right_code in (select d.code from rights d where d.merchant_id = $1::text and d.version = ${VERSION} and jsonb_typeof(d.coupon) = 'object')
        order by r.expires_at asc, r.grant_id asc limit 100) c)
) as r`;

export interface HoldRowJson {
  holdId: string;
  memberId: string;
  orderId: string;
  amount: number;
  points: number;
  pointsValue: number;
  wallet: number;
  payable: number;
  status: "held" | "confirmed" | "released";
  bodyHash: string;
  expiresAt: string;
  grants: { grantId: string; discount: number }[];
}

/** A hold row with its coupons (in grant id order), as JSON; `h` is the alias of `holds`. */
const holdJson = (h: string) => `json_build_object('holdId', ${h}.hold_id, 'memberId', ${h}.member_id, 'orderId', ${h}.order_id, 'amount', ${h}.amount,
    'points', ${h}.points, 'pointsValue', ${h}.points_value, 'wallet', ${h}.wallet, 'payable', ${h}.payable, 'status', ${h}.status,
    'bodyHash', ${h}.body_hash, 'expiresAt', ${h}.expires_at,
    'grants', (select coalesce(json_agg(json_build_object('grantId', g.grant_id, 'discount', g.discount) order by g.grant_id), '[]')
      from hold_grants g where g.merchant_id = ${h}.merchant_id and g.hold_id = ${h}.hold_id))`;

export interface HoldReadRow {
  prior: HoldRowJson | null;
  balance: number | null;
  version: number | null;
  held: { points: number; wallet: number };
  wallet: { principal: number; bonus: number } | null;
  /** The member's lots with points left, oldest-expiring first, with what open holds set aside in each. */
  lots: { id: number; remaining: number; held: number }[];
  /** The asked coupons that exist (any member's: the caller checks). */
  rights: { grantId: string; memberId: string; rightCode: string; unitCost: number; expiresAt: string | null; redeemed: boolean; voided: boolean; held: boolean }[];
  /** The asked grant ids in the database's order (the order a hold's answer lists its coupons in). */
  sorted: string[];
}

/** POST …/holds, under the member's lock: $1 merchant, $2 member, $3 now, $4 hold id, $5 grant ids (JSON). */
export const holdReadStmt = (merchantId: string, memberId: string, now: Date, holdId: string, grantIds: string[]): Stmt => ({
  sql: HOLD_READ_SQL,
  params: [merchantId, memberId, now.toISOString(), holdId, JSON.stringify(grantIds)],
});
const HOLD_READ_SQL = `select json_build_object(
  'prior', (select ${holdJson("h")} from holds h where h.merchant_id = $1::text and h.hold_id = $4::text),
  'balance', (select m.points_balance from members m where m.merchant_id = $1::text and m.member_id = $2::text),
  'version', ${VERSION},
  'held', ${heldTotals("$2::text")},
  'wallet', ${wallet("$2::text")},
  'lots', (select coalesce(json_agg(json_build_object('id', l.id, 'remaining', l.remaining, 'held', ${heldInLot("l.member_id", "l.id")}) order by l.expires_at, l.id), '[]')
      from points_lots l where l.merchant_id = $1::text and l.member_id = $2::text and l.remaining > 0),
  'rights', (select coalesce(json_agg(json_build_object('grantId', r.grant_id, 'memberId', r.member_id, 'rightCode', r.right_code, 'unitCost', r.unit_cost,
        'expiresAt', r.expires_at, 'redeemed', r.redeemed_at is not null, 'voided', r.voided_at is not null, 'held', ${grantHeld("r.grant_id", "")})), '[]')
      from right_instances r where r.merchant_id = $1::text and r.grant_id in (select x from jsonb_array_elements_text($5::jsonb) as t(x))),
  'sorted', (select coalesce(json_agg(x order by x), '[]') from jsonb_array_elements_text($5::jsonb) as t(x))
) as r`;

/**
 * The member's lock of a hold (the lock lockKeys(…, [`m:<member>`]) takes, with the merchant's
 * shared first), found from the hold in the same statement: $1 merchant, $2 hold id. No hold: only
 * the merchant's shared lock (the read after it answers not found).
 */
export const holdLockStmt = (merchantId: string, holdId: string): Stmt => ({ sql: HOLD_LOCK_SQL, params: [merchantId, holdId] });
const HOLD_LOCK_SQL = `select count(case when s.i = 1 then pg_advisory_xact_lock_shared(hashtextextended(s.k, 0)) else pg_advisory_xact_lock(hashtextextended(s.k, 0)) end)
  from (select k, i from (values ($1::text || ':*', 1),
      ($1::text || ':m:' || (select h.member_id from holds h where h.merchant_id = $1::text and h.hold_id = $2::text), 2)) as t(k, i)
    where k is not null order by i) s`;

export interface ConfirmReadRow {
  hold: HoldRowJson | null;
  version: number | null;
  /** The lots the hold took from, with their points left and what all open holds (this one too) set aside there. */
  taken: { lotId: number; points: number; expiresAt: string; remaining: number; held: number }[];
  wallet: { principal: number; bonus: number } | null;
  held: { points: number; wallet: number };
  /** The hold's coupons as they are now. */
  rights: { grantId: string; rightCode: string; code: string | null; redeemed: boolean; voided: boolean; elsewhere: boolean }[];
  /** The member's points balance before the confirm. */
  balance: number | null;
  /** The member's top-ups with something left, oldest first. */
  topUps: { topUpId: string; principalLeft: number; bonusLeft: number }[];
}

/** POST /holds/{id}/confirm, under the member's lock: $1 merchant, $2 hold id, $3 now. */
export const confirmReadStmt = (merchantId: string, holdId: string, now: Date): Stmt => ({ sql: CONFIRM_READ_SQL, params: [merchantId, holdId, now.toISOString()] });
const MEMBER_OF_HOLD = `(select h.member_id from holds h where h.merchant_id = $1::text and h.hold_id = $2::text)`;
const CONFIRM_READ_SQL = `select json_build_object(
  'hold', (select ${holdJson("h")} from holds h where h.merchant_id = $1::text and h.hold_id = $2::text),
  'version', ${VERSION},
  'taken', (select coalesce(json_agg(json_build_object('lotId', hl.lot_id, 'points', hl.points, 'expiresAt', l.expires_at, 'remaining', l.remaining,
        'held', ${heldInLot("hl.member_id", "hl.lot_id")})), '[]')
      from hold_lots hl join points_lots l on l.merchant_id = hl.merchant_id and l.member_id = hl.member_id and l.id = hl.lot_id
      where hl.merchant_id = $1::text and hl.hold_id = $2::text),
  'wallet', ${wallet(MEMBER_OF_HOLD)},
  'held', ${heldTotals(MEMBER_OF_HOLD)},
  'balance', (select m.points_balance from members m where m.merchant_id = $1::text and m.member_id = ${MEMBER_OF_HOLD}),
  'rights', (select coalesce(json_agg(json_build_object('grantId', r.grant_id, 'rightCode', r.right_code, 'code', r.code, 'redeemed', r.redeemed_at is not null, 'voided', r.voided_at is not null,
        'elsewhere', ${grantHeld("r.grant_id", "$2::text")})), '[]')
      from right_instances r where r.merchant_id = $1::text and r.grant_id in (select g.grant_id from hold_grants g where g.merchant_id = $1::text and g.hold_id = $2::text)),
  'topUps', (select coalesce(json_agg(json_build_object('topUpId', t.top_up_id, 'principalLeft', t.principal_left, 'bonusLeft', t.bonus_left) order by t.topped_up_at, t.top_up_id), '[]')
      from wallet_top_ups t where t.merchant_id = $1::text and t.member_id = ${MEMBER_OF_HOLD} and (t.principal_left > 0 or t.bonus_left > 0))
) as r`;

/** Takes points from lots: $1 merchant, $2 member, $3 [{ lotId, points }] (JSON). */
export const spendLotsStmt = (merchantId: string, memberId: string, takes: { lotId: number; points: number }[]): Stmt | null =>
  takes.length ? { sql: SPEND_LOTS_SQL, params: [merchantId, memberId, JSON.stringify(takes)] } : null;
const SPEND_LOTS_SQL = `update points_lots l set remaining = l.remaining - x."points"
  from jsonb_to_recordset($3::jsonb) as x("lotId" bigint, "points" bigint)
  where l.merchant_id = $1::text and l.member_id = $2::text and l.id = x."lotId"
  returning 1`;

/** Lowers a member's points balance: $1 merchant, $2 member, $3 points, $4 now. */
export const lowerBalanceStmt = (merchantId: string, memberId: string, points: number, now: Date): Stmt => ({ sql: LOWER_BALANCE_SQL, params: [merchantId, memberId, points, now.toISOString()] });
const LOWER_BALANCE_SQL = `update members set points_balance = points_balance - $3::bigint, updated_at = $4::timestamptz
  where merchant_id = $1::text and member_id = $2::text returning 1`;

/** Marks coupons used (those not used yet): $1 merchant, $2 grant ids (JSON), $3 now, $4 business date. */
export const redeemGrantsStmt = (merchantId: string, grantIds: string[], now: Date, date: string): Stmt | null =>
  grantIds.length ? { sql: REDEEM_GRANTS_SQL, params: [merchantId, JSON.stringify(grantIds), now.toISOString(), date] } : null;
const REDEEM_GRANTS_SQL = `update right_instances set redeemed_at = $3::timestamptz, redeemed_date = $4::date
  where merchant_id = $1::text and grant_id in (select x from jsonb_array_elements_text($2::jsonb) as t(x)) and redeemed_at is null returning 1`;

/** Lowers what is left of top-ups: $1 merchant, $2 [{ topUpId, principal, bonus }] (JSON) taken from each. */
export const spendTopUpsStmt = (merchantId: string, takes: { topUpId: string; principal: number; bonus: number }[]): Stmt | null =>
  takes.length ? { sql: SPEND_TOP_UPS_SQL, params: [merchantId, JSON.stringify(takes)] } : null;
const SPEND_TOP_UPS_SQL = `update wallet_top_ups t set principal_left = t.principal_left - x."principal", bonus_left = t.bonus_left - x."bonus"
  from jsonb_to_recordset($2::jsonb) as x("topUpId" text, "principal" bigint, "bonus" bigint)
  where t.merchant_id = $1::text and t.top_up_id = x."topUpId" returning 1`;

/** Sets a member's stored value: $1 merchant, $2 member, $3 principal, $4 bonus. */
export const setWalletStmt = (merchantId: string, memberId: string, principal: number, bonus: number): Stmt => ({ sql: SET_WALLET_SQL, params: [merchantId, memberId, principal, bonus] });
const SET_WALLET_SQL = `update wallets set principal = $3::bigint, bonus = $4::bigint where merchant_id = $1::text and member_id = $2::text returning 1`;

/** Closes a hold as confirmed: $1 merchant, $2 hold id, $3 now. */
export const closeConfirmedStmt = (merchantId: string, holdId: string, now: Date): Stmt => ({ sql: CLOSE_CONFIRMED_SQL, params: [merchantId, holdId, now.toISOString()] });
const CLOSE_CONFIRMED_SQL = `update holds set status = 'confirmed', closed_at = $3::timestamptz where merchant_id = $1::text and hold_id = $2::text returning 1`;

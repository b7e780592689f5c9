import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { addDays, startOfBusinessDate } from "@/lib/util/dates";
import type { MemberListQuery, MemberSortKey, RfmSegment } from "@/lib/schemas/members";
import { maskPhone } from "./mask";
import { decodeCursor, encodeCursor } from "./cursor";

/** Sort keys → the column (or expression) the keyset walks; each has an index with member_id last. */
const sortColumn: Record<MemberSortKey, SQL> = {
  registeredAt: sql`registered_at`,
  lifetimeSpend: sql`lifetime_spend`,
  pointsBalance: sql`points_balance`,
  lastOrderAt: sql`last_order_at`,
  memberId: sql`member_id`,
};
const isTime = (k: MemberSortKey) => k === "registeredAt" || k === "lastOrderAt";

const segmentWhere: Record<RfmSegment, SQL> = {
  champions: sql`rfm_r >= 4 and rfm_f >= 4 and rfm_m >= 4`,
  loyal: sql`rfm_r >= 3 and rfm_f >= 4`,
  atRisk: sql`rfm_r <= 2 and rfm_f >= 3`,
  hibernating: sql`rfm_r <= 2 and rfm_f <= 2`,
};

const likePrefix = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface MemberListRow {
  memberId: string;
  name: string | null;
  phone: string | null;
  tierCode: string;
  lifecycle: "new" | "active" | "dormant" | "lost";
  rfm: { r: number; f: number; m: number };
  lifetimeSpend: number;
  pointsBalance: number;
  growth: number;
  orderCount: number;
  registeredAt: string;
  lastOrderAt: string | null;
}

interface RawRow {
  member_id: string;
  name: string | null;
  phone: string | null;
  tier_code: string;
  lifecycle: MemberListRow["lifecycle"];
  rfm_r: number;
  rfm_f: number;
  rfm_m: number;
  lifetime_spend: string | number;
  points_balance: string | number;
  growth: string | number;
  order_count: number;
  registered_at: string | Date;
  last_order_at: string | Date | null;
}

const toIso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

export { encodeCursor };
/** The WHERE clause of a filter (without the cursor), shared by the page and the CSV export. */
export function memberFilterWhere(merchantId: string, f: MemberListQuery, timeZone: string): SQL {
  const parts: SQL[] = [sql`merchant_id = ${merchantId}`];
  if (f.q) {
    const q = f.q;
    const prefix = likePrefix(q);
    // Four digits: the last four of a phone (what a customer at the till gives; the expression
    // index members_search_phone_last4 serves it), a phone prefix or a member id. Other digits: a
    // phone prefix or a member id; anything else: a member id or the start of a name.
    if (/^\d{4}$/.test(q)) parts.push(sql`(right(phone, 4) = ${q} or phone like ${prefix} or member_id = ${q})`);
    else if (/^\+?\d[\d -]{2,}$/.test(q)) parts.push(sql`(phone like ${prefix} or member_id = ${q})`);
    else parts.push(sql`(member_id = ${q} or member_id like ${prefix} or name like ${prefix})`);
  }
  if (f.tier) parts.push(sql`tier_code = ${f.tier}`);
  if (f.lifecycle) parts.push(sql`lifecycle = ${f.lifecycle}`);
  if (f.segment) parts.push(segmentWhere[f.segment]);
  if (f.r) parts.push(sql`rfm_r = ${f.r}`);
  if (f.f) parts.push(sql`rfm_f = ${f.f}`);
  if (f.m) parts.push(sql`rfm_m = ${f.m}`);
  if (f.spendMin !== undefined) parts.push(sql`lifetime_spend >= ${f.spendMin * 100}`);
  if (f.spendMax !== undefined) parts.push(sql`lifetime_spend <= ${f.spendMax * 100}`);
  if (f.pointsMin !== undefined) parts.push(sql`points_balance >= ${f.pointsMin}`);
  if (f.pointsMax !== undefined) parts.push(sql`points_balance <= ${f.pointsMax}`);
  if (f.regFrom) parts.push(sql`registered_at >= ${startOfBusinessDate(f.regFrom, timeZone).toISOString()}::timestamptz`);
  if (f.card)
    parts.push(sql`exists (select 1 from memberships s where s.merchant_id = members.merchant_id and s.member_id = members.member_id and s.refunded_at is null
      and s.starts_at <= now() and s.ends_at > now()${f.card === "any" ? sql`` : sql` and s.plan_code = ${f.card}`})`);
  if (f.regTo) parts.push(sql`registered_at < ${startOfBusinessDate(addDays(f.regTo, 1), timeZone).toISOString()}::timestamptz`);
  return sql.join(parts, sql` and `);
}

/**
 * One page of the members list: keyset pagination on (sort column, member_id), so page 1,000 costs
 * what page 1 does. Members without an order sort as the oldest last order (nulls first ascending).
 */
export async function listMembers(db: Db, merchantId: string, f: MemberListQuery, opts: { timeZone: string; fullPhone: boolean }) {
  const col = f.sort === "lastOrderAt" ? sql`coalesce(last_order_at, 'epoch'::timestamptz)` : sortColumn[f.sort];
  const desc = f.dir === "desc";
  const where: SQL[] = [memberFilterWhere(merchantId, f, opts.timeZone)];
  if (f.cursor) {
    const position = decodeCursor(f.cursor, f.sort);
    if (!position) throw new AppError("validation_failed", "cursor: not a cursor this list gave for this sort", [{ path: "cursor", message: "not a cursor this list gave for this sort" }]);
    const [value, id] = position;
    const v = isTime(f.sort) ? sql`${value ?? "1970-01-01T00:00:00Z"}::timestamptz` : f.sort === "memberId" ? sql`${String(value)}` : sql`${Number(value)}::bigint`;
    where.push(desc ? sql`(${col}, member_id) < (${v}, ${id})` : sql`(${col}, member_id) > (${v}, ${id})`);
  }
  const dir = desc ? sql`desc` : sql`asc`;
  const rows = await queryRows<RawRow>(
    db,
    sql`select member_id, name, phone, tier_code, lifecycle, rfm_r, rfm_f, rfm_m, lifetime_spend, points_balance, growth, order_count, registered_at, last_order_at
        from members where ${sql.join(where, sql` and `)}
        order by ${col} ${dir}, member_id ${dir} limit ${f.limit + 1}`,
  );
  const page = rows.slice(0, f.limit).map(
    (r): MemberListRow => ({
      memberId: r.member_id,
      name: r.name,
      phone: opts.fullPhone ? r.phone : maskPhone(r.phone),
      tierCode: r.tier_code,
      lifecycle: r.lifecycle,
      rfm: { r: Number(r.rfm_r), f: Number(r.rfm_f), m: Number(r.rfm_m) },
      lifetimeSpend: Number(r.lifetime_spend),
      pointsBalance: Number(r.points_balance),
      growth: Number(r.growth),
      orderCount: Number(r.order_count),
      registeredAt: toIso(r.registered_at)!,
      lastOrderAt: toIso(r.last_order_at),
    }),
  );
  const last = page[page.length - 1];
  const cursorValue = (r: MemberListRow): string | number | null =>
    f.sort === "lastOrderAt" ? (r.lastOrderAt ?? "1970-01-01T00:00:00.000Z") : f.sort === "memberId" ? r.memberId : r[f.sort];
  return { rows: page, nextCursor: rows.length > f.limit && last ? encodeCursor(cursorValue(last), last.memberId) : null };
}

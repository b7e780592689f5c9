import { sql, type SQL } from "drizzle-orm";
import { queryRows, runStmt, type Db, type Pipeline, type Stmt } from "@/db/client";
import type { WebhookEventType } from "@/lib/schemas/webhooks";

/**
 * Domain events: the changes webhooks report (docs/webhooks.md lists each type's `data`). They are
 * rows of `domain_events`, written by the statement (or in the transaction) that makes the change,
 * so a rolled-back change leaves none and a committed one is never lost; the fan-out job turns them
 * into deliveries after commit. A row is written only while the merchant has an endpoint (enabled or
 * paused, not removed) subscribed to its type: the filter is inside the same statement, so a merchant
 * without webhooks pays nothing but the statement's text. `message.queued` is not one of them: it is
 * the outbox's own feed.
 */
export type DomainEventType = Exclude<WebhookEventType, "message.queued">;

export interface DomainEvent {
  type: DomainEventType;
  memberId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
  /** Set only where a repeat must be dropped (`hold.expired`). */
  source?: string | null;
}

/** The types the merchant ($1) has a live endpoint for. */
const SUBSCRIBED = `select jsonb_array_elements_text(e.types) from webhook_endpoints e where e.merchant_id = $1 and e.deleted_at is null`;

const EMIT = `insert into domain_events (merchant_id, type, member_id, data, source, occurred_at)
  select $1, x.type, x."memberId", x.data, x.source, x."occurredAt"
  from rows from (jsonb_to_recordset($2::jsonb) as (type text, "memberId" text, data jsonb, source text, "occurredAt" timestamptz)) with ordinality as x(type, "memberId", data, source, "occurredAt", n)
  where x.type in (${SUBSCRIBED})
  order by x.n`;

/** As EMIT, with the member's points balance as it is now added to `data` (run after the balance changed). */
const EMIT_WITH_BALANCE = `insert into domain_events (merchant_id, type, member_id, data, source, occurred_at)
  select $1, x.type, x."memberId", x.data || jsonb_build_object('balance', m.points_balance), x.source, x."occurredAt"
  from rows from (jsonb_to_recordset($2::jsonb) as (type text, "memberId" text, data jsonb, source text, "occurredAt" timestamptz)) with ordinality as x(type, "memberId", data, source, "occurredAt", n)
  join members m on m.merchant_id = $1 and m.member_id = x."memberId"
  where x.type in (${SUBSCRIBED})
  order by x.n`;

/** The events as one multi-row insert (a part for combineWrites), in their order, or null when there are none. */
export function domainEventsSql(merchantId: string, events: DomainEvent[], opts: { withBalance?: boolean } = {}): Stmt | null {
  if (!events.length) return null;
  return { sql: opts.withBalance ? EMIT_WITH_BALANCE : EMIT, params: [merchantId, JSON.stringify(events)] };
}

/** Writes events on the caller's transaction (one statement). */
export async function emitDomainEvents(on: Db | Pipeline, merchantId: string, events: DomainEvent[], opts: { withBalance?: boolean } = {}) {
  const stmt = domainEventsSql(merchantId, events, opts);
  if (stmt) await runStmt(on, stmt);
}

/** For set-based statements (the period job): `<type expression> in (the merchant's subscribed types)`. */
export const subscribedSql = (merchantId: string, type: SQL) =>
  sql`${type} in (select jsonb_array_elements_text(e.types) from webhook_endpoints e where e.merchant_id = ${merchantId} and e.deleted_at is null)`;

/** A timestamptz as JavaScript's toISOString() writes it (UTC, milliseconds, `Z`), for `data` built in SQL. */
export const isoSql = (expr: SQL) => sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Whether the merchant has a live endpoint for a type (to skip work whose only use is that event). */
export async function isSubscribed(db: Db, merchantId: string, type: DomainEventType): Promise<boolean> {
  const rows = await queryRows(db, sql`select 1 from webhook_endpoints e where e.merchant_id = ${merchantId} and e.deleted_at is null and e.types @> ${JSON.stringify([type])}::jsonb limit 1`);
  return rows.length > 0;
}

/** A points ledger row (not an expiry: the period job reports those per member) as `points.earned` / `points.spent`, by the sign of its net effect. */
export function pointsEvent(r: {
  memberId: string;
  delta: number;
  debtDelta: number;
  kind: string;
  rule: string | null;
  source: string;
  reason: string;
  occurredAt: Date;
  businessDate: string;
  balance?: number;
}): DomainEvent | null {
  const net = r.delta - r.debtDelta;
  if (net === 0) return null;
  const type: DomainEventType = net > 0 ? "points.earned" : "points.spent";
  const data: Record<string, unknown> = {
    memberId: r.memberId,
    points: Math.abs(net),
    delta: r.delta,
    debtDelta: r.debtDelta,
    kind: r.kind,
    rule: r.rule,
    source: r.source,
    reason: r.reason,
    occurredAt: r.occurredAt.toISOString(),
    businessDate: r.businessDate,
  };
  if (r.balance !== undefined) data.balance = r.balance;
  return { type, memberId: r.memberId, data, occurredAt: r.occurredAt };
}

/** A right instance issued, as `right.issued` (`code` is filled in at delivery when the database gave it). */
export function rightIssuedEvent(r: {
  grantId: string;
  memberId: string;
  rightCode: string;
  tierCode: string | null;
  value: string | null;
  unitCost: number;
  source: string;
  issuedAt: Date;
  expiresAt: Date | null;
  code?: string | null;
}): DomainEvent {
  return {
    type: "right.issued",
    memberId: r.memberId,
    occurredAt: r.issuedAt,
    data: {
      memberId: r.memberId,
      grantId: r.grantId,
      rightCode: r.rightCode,
      code: r.code ?? null,
      tierCode: r.tierCode,
      value: r.value,
      unitCost: r.unitCost,
      source: r.source,
      issuedAt: r.issuedAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
    },
  };
}

export function rightRedeemedEvent(r: { grantId: string; memberId: string; rightCode: string; code: string | null; redeemedAt: Date; via: "event" | "checkout"; holdId?: string }): DomainEvent {
  return {
    type: "right.redeemed",
    memberId: r.memberId,
    occurredAt: r.redeemedAt,
    data: { memberId: r.memberId, grantId: r.grantId, rightCode: r.rightCode, code: r.code, redeemedAt: r.redeemedAt.toISOString(), via: r.via, holdId: r.holdId ?? null },
  };
}

/** A wallet ledger row as `wallet.changed` (amounts in fen; `principal`/`bonus` signed changes, `…After` the balances after). */
export function walletEvent(r: { memberId: string; type: string; source: string; principal: number; bonus: number; principalAfter: number; bonusAfter: number; at: Date; businessDate: string }): DomainEvent {
  return {
    type: "wallet.changed",
    memberId: r.memberId,
    occurredAt: r.at,
    data: {
      memberId: r.memberId,
      change: r.type,
      source: r.source,
      principal: r.principal,
      bonus: r.bonus,
      amount: r.principal + r.bonus,
      principalAfter: r.principalAfter,
      bonusAfter: r.bonusAfter,
      balance: r.principalAfter + r.bonusAfter,
      at: r.at.toISOString(),
      businessDate: r.businessDate,
    },
  };
}

/**
 * Gives the merchant's committed, not yet sequenced domain events the next feed positions, as
 * sequenceOutbox does for the outbox (one sequencer per merchant at a time; positions only grow, so a
 * fan-out cursor never passes an event that commits late). Returns how many it sequenced.
 */
export async function sequenceDomainEvents(db: Db, merchantId: string, batch = 5_000): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${merchantId}:domain-events`}, 0))`);
    const [r] = await queryRows<{ n: number }>(
      tx,
      sql`with base as (select coalesce(max(seq), 0) as b from domain_events where merchant_id = ${merchantId}),
        todo as (
          select id, row_number() over (order by id) as r from (
            select id from domain_events where merchant_id = ${merchantId} and seq is null order by id limit ${batch}
          ) x
        ), u as (
          update domain_events d set seq = base.b + todo.r, committed_at = now()
          from todo, base where d.merchant_id = ${merchantId} and d.id = todo.id and d.seq is null
          returning 1
        )
        select count(*)::int as n from u`,
    );
    return r.n;
  });
}

/** The end of the merchant's domain-event feed (a new endpoint's cursor: it gets what comes after). */
export async function domainEventsEnd(db: Db, merchantId: string): Promise<number> {
  const [{ end }] = await queryRows<{ end: string | number }>(db, sql`select coalesce(max(seq), 0) as end from domain_events where merchant_id = ${merchantId}`);
  return Number(end);
}

/**
 * `hold.expired`: a checkout hold lapses by the clock (it reads back as released with nothing having
 * to run), so no transaction makes the change. The fan-out notices holds still `held` past their
 * `expiresAt` (since the first endpoint subscribed to the type was made) and records each once
 * (unique by hold); a hold confirmed or released first is not reported. Each sweep reads only holds
 * lapsed since the last one recorded.
 */
export async function recordLapsedHolds(db: Db, merchantId: string, now: Date) {
  await db.execute(sql`
    insert into domain_events (merchant_id, type, member_id, data, source, occurred_at)
    select ${merchantId}, 'hold.expired', h.member_id,
      jsonb_build_object('memberId', h.member_id, 'holdId', h.hold_id, 'orderId', h.order_id, 'points', h.points, 'wallet', h.wallet,
        'grantIds', coalesce((select jsonb_agg(g.grant_id order by g.grant_id) from hold_grants g where g.merchant_id = h.merchant_id and g.hold_id = h.hold_id), '[]'::jsonb),
        'expiresAt', ${isoSql(sql`h.expires_at`)}),
      'hold:' || h.hold_id, h.expires_at
    from holds h
    where h.merchant_id = ${merchantId} and h.status = 'held' and h.expires_at <= ${now.toISOString()}::timestamptz
      and h.expires_at > (select min(e.created_at) from webhook_endpoints e where e.merchant_id = ${merchantId} and e.deleted_at is null and e.types @> '["hold.expired"]'::jsonb)
      -- Holds lapsed before the last one recorded were seen by that sweep (a minute's margin for late commits).
      and h.expires_at >= coalesce((select max(d.occurred_at) from domain_events d where d.merchant_id = ${merchantId} and d.type = 'hold.expired') - interval '1 minute', '-infinity')
    on conflict (merchant_id, source) where type = 'hold.expired' do nothing`);
}

import { sql, type SQL } from "drizzle-orm";
import { runStmt, type Db, type Pipeline } from "@/db/client";
import { AppError } from "@/lib/errors";
import type { EventInput } from "@/lib/schemas/events";
import { planMultiplierPct, type Program } from "@/lib/schemas/program";
import type { LoadedProgram } from "@/lib/program/store";
import { businessDate } from "@/lib/util/dates";
import { nextSegment, purchaseAt, refundPurchase, type Purchase } from "@/lib/membership/cards";
import type { Batch, MemberState } from "./batch";
import { listText } from "./sql-json";

/**
 * Paid membership (付费会员卡) in the engine: the purchases of the batch's members, loaded before the
 * events are applied (only when a batch needs them), changed in memory, and written with the batch.
 */

export interface PurchaseState extends Purchase {
  amount: number;
  points: number;
  source: string;
  businessDate: string;
  refundedDate: string | null;
  refundedAmount: number;
  isNew: boolean;
  dirty: boolean;
}

/** The purchases a batch works on (the Batch's `membership` field). */
export class BatchMemberships {
  byMember = new Map<string, PurchaseState[]>();
  byPurchase = new Map<string, PurchaseState>();
  /** Purchases refunded in this batch: their unused rights are voided when the batch is written. */
  refunded: { purchaseId: string; memberId: string; at: Date }[] = [];

  of(memberId: string): PurchaseState[] {
    let l = this.byMember.get(memberId);
    if (!l) this.byMember.set(memberId, (l = []));
    return l;
  }

  add(p: PurchaseState) {
    this.of(p.memberId).push(p);
    this.byPurchase.set(p.purchaseId, p);
  }
}

type Plan = Program["plans"][number];

const reject = (message: string, path: string, code: "validation_failed" | "conflict" | "not_found" = "validation_failed") =>
  new AppError(code, message, [{ path, message }]);

/** The source of a plan right: `membership:<purchase>:<start | YYYY-MM>:<right>:<entry>.<n>` (a refund voids by the purchase's prefix). */
export const planRightSource = (purchaseId: string, occasion: string, right: string, entry: number, n: number) => `membership:${purchaseId}:${occasion}:${right}:${entry}.${n}`;

/**
 * Issues a plan's rights for a purchase: its `on_start` ones (at each purchase), and with `month`
 * (the business month, YYYY-MM) its `monthly` ones for that month (at a card's start, and on each
 * following 1st by the period job).
 */
export function issuePlanRights(b: Batch, m: MemberState, p: Program, plan: Plan, purchaseId: string, at: Date, opts: { onStart: boolean; month: string | null }) {
  plan.rights.forEach((r, j) => {
    const occasion = r.cadence === "on_start" ? (opts.onStart ? "start" : null) : opts.month;
    if (occasion === null) return;
    for (let i = 0; i < r.quantity; i++) b.issueRight(m, p, r.right, planRightSource(purchaseId, occasion, r.right, j, i), at, null);
  });
}

/**
 * Starts or extends the member's card: one purchase row, its rights (a purchase that starts a new
 * card also gets the month's monthly rights). Checks first, so a refusal changes nothing.
 */
export function purchaseMembership(
  b: Batch,
  p: LoadedProgram,
  m: MemberState,
  input: { purchaseId: string; plan: string; amount: number; points: number; source: string; at: Date; date: string },
  paths: { purchaseId: string; plan: string },
): PurchaseState {
  const plan = p.plans.find((x) => x.code === input.plan);
  if (!plan) throw reject(`no paid-membership plan "${input.plan}" in the program`, paths.plan);
  if (b.membership.byPurchase.has(input.purchaseId)) throw reject(`membership purchase ${input.purchaseId} is already recorded`, paths.purchaseId, "conflict");
  const seg = nextSegment(b.membership.of(m.memberId), input.at, plan.months, p.timeZone);
  const row: PurchaseState = {
    purchaseId: input.purchaseId,
    memberId: m.memberId,
    planCode: plan.code,
    months: plan.months,
    purchasedAt: input.at,
    startsAt: seg.startsAt,
    endsAt: seg.endsAt,
    refundedAt: null,
    amount: input.amount,
    points: input.points,
    source: input.source,
    businessDate: input.date,
    refundedDate: null,
    refundedAmount: 0,
    isNew: true,
    dirty: true,
  };
  b.membership.add(row);
  if (!seg.extends)
    b.emit("membership.started", m.memberId, { plan: plan.code, purchaseId: input.purchaseId, startsAt: seg.startsAt.toISOString(), endsAt: seg.endsAt.toISOString() }, input.at);
  issuePlanRights(b, m, p, plan, input.purchaseId, input.at, { onStart: true, month: seg.extends ? null : businessDate(seg.startsAt, p.timeZone).slice(0, 7) });
  return row;
}

/** Removes a purchase's months (the purchases after it in its card move back) and voids its unused rights. */
export function refundMembership(b: Batch, p: LoadedProgram, memberId: string, purchaseId: string, at: Date, date: string, path: string) {
  const row = b.membership.byPurchase.get(purchaseId);
  if (!row || row.memberId !== memberId) throw reject(`membership purchase ${purchaseId} not found for member ${memberId}`, path, "not_found");
  if (row.refundedAt) throw reject(`membership purchase ${purchaseId} was already refunded`, path, "conflict");
  const moved = refundPurchase(b.membership.of(memberId), purchaseId, at, p.timeZone);
  row.refundedDate = date;
  row.refundedAmount = row.amount;
  row.dirty = true;
  for (const x of moved) (x as PurchaseState).dirty = true;
  b.membership.refunded.push({ purchaseId, memberId, at });
  // The refund took the card's last running months: it ends now.
  if (!b.membership.of(memberId).some((x) => !x.refundedAt && x.purchaseId !== purchaseId && x.endsAt > at))
    b.emit("membership.ended", memberId, { plan: row.planCode, purchaseId, endedAt: at.toISOString(), reason: "refunded" }, at);
  const prefix = `membership:${purchaseId}:`;
  for (const [grantId, r] of b.rights) {
    if (!r.source.startsWith(prefix) || r.redeemedAt || r.voidedAt) continue;
    // Issued in this very batch: never written, so simply not issued.
    if (r.isNew) b.rights.delete(grantId);
    else r.voidedAt = at;
  }
}

export function membershipPurchased(b: Batch, ctx: { program: LoadedProgram; at: Date; date: string }, e: Extract<EventInput, { type: "membership.purchased" }>) {
  const m = b.memberOrThrow(e.memberId);
  purchaseMembership(
    b,
    ctx.program,
    m,
    { purchaseId: e.data.purchaseId, plan: e.data.plan, amount: e.data.amount, points: 0, source: `ev:${e.id}`, at: ctx.at, date: ctx.date },
    { purchaseId: "data.purchaseId", plan: "data.plan" },
  );
}

export function membershipRefunded(b: Batch, ctx: { program: LoadedProgram; at: Date; date: string }, e: Extract<EventInput, { type: "membership.refunded" }>) {
  b.memberOrThrow(e.memberId);
  refundMembership(b, ctx.program, e.memberId, e.data.purchaseId, ctx.at, ctx.date, "data.purchaseId");
}

/** The points multiplier (percent) of the plan whose card covers `at`: 100 without one. */
export function planMultiplierPctAt(b: Batch, p: Program, memberId: string, at: Date): number {
  const running = purchaseAt(b.membership.byMember.get(memberId) ?? [], at);
  const plan = running && p.plans.find((x) => x.code === running.planCode);
  return plan ? planMultiplierPct(plan) : 100;
}

const LOAD_SQL = `select purchase_id, member_id, plan_code, months, purchased_at, starts_at, ends_at, refunded_at, amount, points, source,
    business_date::text as business_date, refunded_date::text as refunded_date, refunded_amount
  from memberships where merchant_id = $1 and (${listText("member_id", 2)} or ${listText("purchase_id", 3)})`;

/** Loads the purchases of these members (and these purchase ids, whoever holds them) into the batch. */
export async function loadMemberships(on: Db | Pipeline, b: Batch, memberIds: string[], purchaseIds: string[] = []) {
  if (!memberIds.length && !purchaseIds.length) return;
  const rows = await runStmt<Record<string, unknown>>(on, { sql: LOAD_SQL, params: [b.merchantId, JSON.stringify([...new Set(memberIds)]), JSON.stringify([...new Set(purchaseIds)])] });
  for (const r of rows) {
    if (b.membership.byPurchase.has(r.purchase_id as string)) continue;
    b.membership.add({
      purchaseId: r.purchase_id as string,
      memberId: r.member_id as string,
      planCode: r.plan_code as string,
      months: Number(r.months),
      purchasedAt: new Date(r.purchased_at as string),
      startsAt: new Date(r.starts_at as string),
      endsAt: new Date(r.ends_at as string),
      refundedAt: r.refunded_at ? new Date(r.refunded_at as string) : null,
      amount: Number(r.amount),
      points: Number(r.points),
      source: r.source as string,
      businessDate: r.business_date as string,
      refundedDate: (r.refunded_date as string | null) ?? null,
      refundedAmount: Number(r.refunded_amount),
      isNew: false,
      dirty: false,
    });
  }
}

/**
 * Before a batch of events is applied: the purchases of the members of membership events, and of
 * members whose orders may earn under a plan's multiplier (only when a program in force has one).
 */
export async function loadMembershipsFor<C extends { event: EventInput; at: Date }>(on: Db | Pipeline, b: Batch, cs: C[], programOf: (c: C) => LoadedProgram) {
  const members: string[] = [];
  const purchases: string[] = [];
  for (const c of cs) {
    const e = c.event;
    if (e.type === "membership.purchased" || e.type === "membership.refunded") {
      members.push(e.memberId);
      purchases.push(e.data.purchaseId);
    } else if (e.type === "order.paid" && e.memberId && programOf(c).plans.some((pl) => planMultiplierPct(pl) > 100)) members.push(e.memberId);
  }
  await loadMemberships(on, b, members, purchases);
}

/** The batch's purchase rows and changes, and the voiding of refunded purchases' unused rights, as parts of the batch's one write. */
export function membershipWrites(b: Batch): SQL[] {
  const m = b.merchantId;
  const all = [...b.membership.byPurchase.values()];
  const fresh = all.filter((x) => x.isNew);
  const changed = all.filter((x) => !x.isNew && x.dirty);
  const parts: SQL[] = [];
  if (fresh.length)
    parts.push(sql`insert into memberships (merchant_id, purchase_id, member_id, plan_code, months, purchased_at, starts_at, ends_at, amount, points, source, business_date, refunded_at, refunded_date, refunded_amount)
      select ${m}, "purchaseId", "memberId", "planCode", months, "purchasedAt", "startsAt", "endsAt", amount, points, source, "businessDate", "refundedAt", "refundedDate", "refundedAmount"
      from jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) as x("purchaseId" text, "memberId" text, "planCode" text, months int, "purchasedAt" timestamptz,
        "startsAt" timestamptz, "endsAt" timestamptz, amount bigint, points bigint, source text, "businessDate" date, "refundedAt" timestamptz, "refundedDate" date, "refundedAmount" bigint)`);
  if (changed.length)
    parts.push(sql`update memberships s set starts_at = x."startsAt", ends_at = x."endsAt", refunded_at = x."refundedAt", refunded_date = x."refundedDate", refunded_amount = x."refundedAmount"
      from jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) as x("purchaseId" text, "startsAt" timestamptz, "endsAt" timestamptz, "refundedAt" timestamptz, "refundedDate" date, "refundedAmount" bigint)
      where s.merchant_id = ${m} and s.purchase_id = x."purchaseId"`);
  for (const r of b.membership.refunded)
    parts.push(sql`update right_instances set voided_at = ${r.at.toISOString()}::timestamptz
      where merchant_id = ${m} and member_id = ${r.memberId} and source like ${`membership:${r.purchaseId.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`} and redeemed_at is null and voided_at is null`);
  return parts;
}

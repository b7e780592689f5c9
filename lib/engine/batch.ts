import type { LoadedProgram } from "@/lib/program/store";
import type { Program } from "@/lib/schemas/program";
import { businessDate, addDays } from "@/lib/util/dates";
import { newId } from "@/lib/util/ids";
import { AppError } from "@/lib/errors";
import { messageRow } from "@/lib/messages/queue-message";
import { settleDebt, takeFromLots, type Lot } from "./lots";
import { lotExpiry, qualifyingRank, thresholdParams, type Measures } from "./rules";
import type { DomainEvent, DomainEventType } from "@/lib/webhooks/domain-events";
import { coded, codeColumns, type CodedReason } from "@/lib/reasons/row";
import { BatchMemberships } from "./membership";

export interface MemberState {
  memberId: string;
  name: string | null;
  phone: string | null;
  birthday: string | null;
  referrerId: string | null;
  registeredAt: Date;
  tierCode: string;
  tierSince: Date;
  manualTierCode: string | null;
  trialUntil: Date | null;
  growth: number;
  pointsBalance: number;
  pointsDebt: number;
  lifetimeSpend: number;
  orderCount: number;
  lastOrderAt: Date | null;
  lastCheckinDate: string | null;
  checkinStreak: number;
  lifecycle: "new" | "active" | "dormant" | "lost";
  rfmR: number;
  rfmF: number;
  rfmM: number;
  isNew: boolean;
  dirty: boolean;
}

export interface OrderState {
  orderId: string;
  memberId: string | null;
  eventId: string;
  paidAt: Date;
  businessDate: string;
  amount: number;
  memberDiscount: number;
  refundedAmount: number;
  pointsEarned: number;
  growthEarned: number;
  pointsClawed: number;
  growthClawed: number;
  tierAtOrder: string | null;
  isNew: boolean;
  dirty: boolean;
}

export interface RightState {
  grantId: string;
  memberId: string;
  rightCode: string;
  tierCode: string | null;
  value: string | null;
  unitCost: number;
  source: string;
  issuedAt: Date;
  issuedDate: string;
  expiresAt: Date | null;
  redeemedAt: Date | null;
  redeemedDate: string | null;
  /** The redemption code (核销码); null for an instance issued in this batch (the database gives it one). */
  code: string | null;
  voidedAt: Date | null;
  /** Set aside by an open checkout hold. */
  held: boolean;
  isNew: boolean;
  dirty: boolean;
}

/** What a confirmed checkout hold took from one lot, and how much of it refunds gave back so far. */
export interface HoldLotState {
  holdId: string;
  lotId: number;
  points: number;
  returned: number;
  dirty: boolean;
}

/** A confirmed checkout hold of an order being refunded (api.md, Checkout: refunds give back exactly). */
export interface HoldState {
  holdId: string;
  orderId: string;
  memberId: string;
  points: number;
  wallet: number;
  lots: HoldLotState[];
  grantIds: string[];
}

/**
 * Work on tables the batch does not keep in memory (the wallet), queued by an event as it is
 * applied and run, in event order, before the next event (see ingest.ts).
 */
export type WalletOp =
  | { kind: "topUp"; memberId: string; topUpId: string; amount: number }
  | { kind: "refundTopUp"; memberId: string; topUpId: string; amount: number; source: string }
  | { kind: "returnHolds"; memberId: string; holdIds: string[]; refundedBefore: number; refundedAfter: number; paid: number; source: string };

export interface PointsRow {
  memberId: string;
  delta: number;
  debtDelta: number;
  kind: "earn" | "spend" | "clawback" | "expire" | "adjust" | "bonus";
  source: string;
  rule: string | null;
  reason: string;
  reasonCode?: string;
  reasonParams?: object;
  programVersion: number | null;
  occurredAt: Date;
  businessDate: string;
}
export interface GrowthRow {
  memberId: string;
  delta: number;
  kind: "earn" | "clawback" | "adjust";
  source: string;
  rule: string | null;
  reason: string;
  reasonCode?: string;
  reasonParams?: object;
  programVersion: number | null;
  occurredAt: Date;
  businessDate: string;
}
export interface TierRow {
  memberId: string;
  fromTier: string | null;
  toTier: string;
  direction: "initial" | "up" | "down" | "manual" | "trial";
  reason: string;
  reasonCode?: string;
  reasonParams?: object;
  source: string;
  changedAt: Date;
  businessDate: string;
}

/**
 * The state a batch of events works on, loaded once, changed in memory event by event, and
 * written back set-wise at the end (so a batch of 1,000 events costs a handful of statements).
 */
export class Batch {
  members = new Map<string, MemberState>();
  orders = new Map<string, OrderState>();
  rights = new Map<string, RightState>();
  lots = new Map<string, Lot[]>();
  /** Ledger sources already stored, for the once-only rewards (check-in per day, profile, referral). */
  existingSources = new Set<string>();
  /** Rewarded shares per member and business day, for the daily share cap. */
  shareCounts = new Map<string, number>();
  /** Non-order points earned per member and business day, for the daily cap. */
  dailyEarned = new Map<string, number>();
  windowed: Map<string, { date: string; spend: number; growth: number; orders: number }[]> | null = null;
  /** Confirmed checkout holds of the orders being refunded, by order id. */
  orderHolds = new Map<string, HoldState[]>();
  /** Business dates before the events' own whose facts a batch changed (a coupon's use undone): the KPI rollups are invalidated from them too. */
  touchedDates: string[] = [];
  /** Wallet work the current event queued (drained by the caller after each event). */
  walletOps: WalletOp[] = [];
  /** Paid-membership purchases of the batch's members (loaded only when the batch needs them; see membership.ts). */
  membership = new BatchMemberships();

  points: PointsRow[] = [];
  growth: GrowthRow[] = [];
  tierRows: TierRow[] = [];
  firings: { automationCode: string; memberId: string; occasion: string; firedAt: Date; firedDate: string }[] = [];
  outbox: { memberId: string; template: string; payload: unknown; source: string; createdAt: Date }[] = [];
  refunds: { eventId: string; orderId: string; memberId: string | null; refundedAt: Date; businessDate: string; amount: number }[] = [];
  newSources = new Set<string>();
  /** Domain events emitted by hand (beside those derived from the rows: lib/engine/batch-events.ts). */
  domainEvents: DomainEvent[] = [];
  /** The webhook types the merchant had endpoints for when the batch loaded its state (null: not known, all are built). */
  webhookTypes: Set<string> | null = null;

  constructor(public readonly merchantId: string) {}

  /**
   * Emits a domain event for webhooks, written with the batch in its transaction (none if the batch
   * is rolled back). For types no batch row implies, e.g. `membership.started` / `membership.ended`.
   */
  emit(type: DomainEventType, memberId: string | null, data: Record<string, unknown>, occurredAt: Date) {
    this.domainEvents.push({ type, memberId, data: { memberId, ...data }, occurredAt });
  }

  hasSource(source: string) {
    return this.existingSources.has(source) || this.newSources.has(source);
  }

  memberOrThrow(memberId: string): MemberState {
    const m = this.members.get(memberId);
    if (!m) throw new AppError("not_found", `member ${memberId} not found`, [{ path: "memberId", message: "no such member" }]);
    return m;
  }

  lotsOf(memberId: string): Lot[] {
    let l = this.lots.get(memberId);
    if (!l) this.lots.set(memberId, (l = []));
    return l;
  }

  /** Posts earned points: a debt is paid off first, the rest becomes a lot with its expiry. */
  earnPoints(
    m: MemberState,
    p: LoadedProgram,
    amount: number,
    row: { kind: "earn" | "bonus" | "adjust"; source: string; rule: string | null; at: Date; date: string } & CodedReason,
  ) {
    if (amount <= 0) return;
    const { credited, paid } = settleDebt(amount, m.pointsDebt);
    const reason = paid > 0 ? `${row.reason} (${paid} paid off an earlier refund's debt)` : row.reason;
    this.points.push({ memberId: m.memberId, delta: credited, debtDelta: -paid, kind: row.kind, source: row.source, rule: row.rule, reason, ...codeColumns(row, paid > 0 ? { debtPaid: paid } : {}), programVersion: p.version, occurredAt: row.at, businessDate: row.date });
    this.newSources.add(row.source);
    m.pointsDebt -= paid;
    if (credited > 0) {
      m.pointsBalance += credited;
      this.lotsOf(m.memberId).push({ id: null, key: row.source, source: row.source, memberId: m.memberId, earnedAt: row.at, expiresAt: lotExpiry(p, row.date), amount: credited, remaining: credited, held: 0, dirty: true });
    }
    m.dirty = true;
  }

  /** Points the member's loaded lots set aside for open checkout holds (the balance includes them). */
  heldPoints(memberId: string): number {
    return (this.lots.get(memberId) ?? []).reduce((s, l) => s + l.held, 0);
  }

  /**
   * Removes points, lot by lot (preferred lot first, then oldest-expiring), never the points open
   * checkout holds set aside; what the lots lack becomes debt (or, without `allowDebt`, a refusal).
   */
  deductPoints(
    m: MemberState,
    amount: number,
    row: { kind: "clawback" | "spend" | "adjust"; source: string; rule: string | null; at: Date; date: string; version: number | null; preferredSource?: string; allowDebt: boolean } & CodedReason,
  ) {
    if (amount <= 0) return;
    const taken = takeFromLots(this.lotsOf(m.memberId), amount, row.preferredSource);
    const fromLots = taken.reduce((s, t) => s + t.take, 0);
    const shortfall = amount - fromLots;
    if (shortfall > 0 && !row.allowDebt) throw new AppError("insufficient_points", `available points ${fromLots} are less than ${amount}`);
    for (const t of taken) {
      t.lot.remaining -= t.take;
      t.lot.dirty = true;
    }
    const reason = shortfall > 0 ? `${row.reason} (${shortfall} already spent: kept as a debt that later earnings pay off)` : row.reason;
    this.points.push({ memberId: m.memberId, delta: -fromLots, debtDelta: shortfall, kind: row.kind, source: row.source, rule: row.rule, reason, ...codeColumns(row, shortfall > 0 ? { debtKept: shortfall } : {}), programVersion: row.version, occurredAt: row.at, businessDate: row.date });
    this.newSources.add(row.source);
    m.pointsBalance -= fromLots;
    m.pointsDebt += shortfall;
    m.dirty = true;
  }

  addGrowth(m: MemberState, p: LoadedProgram | null, delta: number, row: { kind: GrowthRow["kind"]; source: string; rule: string | null; at: Date; date: string } & CodedReason) {
    if (delta === 0) return;
    this.growth.push({ memberId: m.memberId, delta, kind: row.kind, source: row.source, rule: row.rule, reason: row.reason, ...codeColumns(row), programVersion: p?.version ?? null, occurredAt: row.at, businessDate: row.date });
    m.growth += delta;
    m.dirty = true;
    this.windowed?.get(m.memberId)?.push({ date: row.date, spend: 0, growth: delta, orders: 0 });
  }

  issueRight(m: MemberState, p: Program, rightCode: string, source: string, at: Date, tierCode: string | null) {
    if (this.hasSource(source)) return;
    const right = p.rights.find((r) => r.code === rightCode);
    if (!right) return;
    const cell = tierCode ? p.matrix.find((c) => c.tierCode === tierCode && c.rightCode === rightCode) : undefined;
    const unitCost = cell?.unitCost ?? right.unitCost;
    const grantId = newId();
    this.rights.set(grantId, {
      grantId,
      memberId: m.memberId,
      rightCode,
      tierCode,
      value: cell?.value ?? null,
      unitCost,
      source,
      issuedAt: at,
      issuedDate: businessDate(at, p.timeZone),
      expiresAt: right.validityDays ? new Date(at.getTime() + right.validityDays * 86_400_000) : null,
      redeemedAt: null,
      redeemedDate: null,
      code: null,
      voidedAt: null,
      held: false,
      isNew: true,
      dirty: true,
    });
    this.newSources.add(source);
  }

  measuresOf(m: MemberState, today: string): Measures {
    const lifetime = { growth: m.growth, spend: m.lifetimeSpend, orders: m.orderCount };
    const rows = this.windowed?.get(m.memberId) ?? [];
    const since12 = addDays(today, -365);
    const yearStart = `${today.slice(0, 4)}-01-01`;
    const sum = (firstDay: string, k: "spend" | "growth" | "orders") =>
      rows.filter((r) => r.date >= firstDay && r.date <= today).reduce((s, r) => s + r[k], 0);
    const window = (k: "spend" | "growth" | "orders") => ({ lifetime: lifetime[k], rolling12m: sum(addDays(since12, 1), k), calendarYear: sum(yearStart, k) });
    return { growth: window("growth"), spend: window("spend"), orders: window("orders") };
  }

  /** Upgrades as soon as the measures cross a higher tier's thresholds; never downgrades (the period job does). */
  evaluateUpgrade(m: MemberState, p: LoadedProgram, at: Date, date: string, source: string) {
    const current = Math.max(0, p.tiers.findIndex((t) => t.code === m.tierCode));
    const measures = this.measuresOf(m, date);
    const rank = qualifyingRank(p, measures);
    if (rank <= current) return;
    const to = p.tiers[rank];
    this.moveUp(m, p, to, coded("upgraded", thresholdParams(to, measures)), `${source}:tier`, at, date);
  }

  /** Moves a member up to a tier now: the tier row, the tier's upgrade gifts and the upgrade automations. */
  moveUp(m: MemberState, p: LoadedProgram, to: LoadedProgram["tiers"][number], why: CodedReason, source: string, at: Date, date: string) {
    this.tierRows.push({ memberId: m.memberId, fromTier: m.tierCode, toTier: to.code, direction: "up", reason: why.reason, ...codeColumns(why), source, changedAt: at, businessDate: date });
    m.tierCode = to.code;
    m.tierSince = at;
    m.trialUntil = null;
    m.dirty = true;
    for (const cell of p.matrix) {
      const right = p.rights.find((r) => r.code === cell.rightCode);
      if (cell.tierCode !== to.code || right?.cadence !== "upgrade") continue;
      for (let i = 0; i < cell.quantity; i++) this.issueRight(m, p, cell.rightCode, `upgrade:${m.memberId}:${to.code}:${date}:${cell.rightCode}:${i}`, at, to.code);
    }
    this.fireAutomations(m, p, "tierUpgraded", `upgraded:${to.code}:${date}`, at, date, { tier: to.code });
  }

  /** Event-time automations (registered, tier upgraded): each at most once per occasion. */
  fireAutomations(m: MemberState, p: LoadedProgram, trigger: "registered" | "tierUpgraded", occasion: string, at: Date, date: string, payload: Record<string, unknown>) {
    for (const a of p.automations) if (a.enabled && a.trigger.kind === trigger) this.fireAutomation(m, p, a, occasion, at, date, payload);
  }

  /** Runs one automation's actions for a member once per occasion (the firing's key). */
  fireAutomation(m: MemberState, p: LoadedProgram, a: LoadedProgram["automations"][number], occasion: string, at: Date, date: string, payload: Record<string, unknown>) {
    const key = `auto:${a.code}:${m.memberId}:${occasion}`;
    if (this.hasSource(key)) return;
    this.newSources.add(key);
    this.firings.push({ automationCode: a.code, memberId: m.memberId, occasion, firedAt: at, firedDate: date });
    a.actions.forEach((act, i) => {
      const source = `${key}:${i}`;
      if (act.kind === "grantRight") this.issueRight(m, p, act.rightCode, source, at, null);
      else if (act.kind === "bonusPoints") this.earnPoints(m, p, act.points, { kind: "bonus", source, rule: `automation:${a.code}`, ...coded("automation_bonus", { name: a.name }), at, date });
      else this.outbox.push(messageRow(this, m, p, a, act.template, { source, at, date, payload }));
    });
  }
}

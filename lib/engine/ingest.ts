import { eventInput, eventJson, type EventInput, type EventResult } from "@/lib/schemas/events";
import { pipelinedTransaction, type Db, type Pipeline, type Stmt } from "@/db/client";
import type { events } from "@/db/schema";
import { AppError, issuesOf } from "@/lib/errors";
import { canonicalJson, sha256 } from "@/lib/util/ids";
import { businessDate, addDays } from "@/lib/util/dates";
import { cachedProgramVersion, loadProgramVersion, type LoadedProgram } from "@/lib/program/store";
import { Batch } from "./batch";
import { applyEvent, runWalletOp } from "./apply";
import { loadState, lockKeys, withBigBatchSlot, type LoadRequest, type Versions } from "./load";
import { windowsUsed } from "./rules";
import { batchWrites } from "./write";
import { loadMembershipsFor, membershipWrites } from "./membership";
import { invalidateRollupsSql } from "@/lib/metrics/rollup";

export interface Candidate {
  index: number;
  event: EventInput;
  raw: unknown;
  hash: string;
  at: Date;
}

const RETRYABLE = new Set(["23505", "40P01", "40001"]);
const pgCode = (e: unknown): string | undefined => {
  const x = e as { code?: string; cause?: { code?: string } };
  return x?.code ?? x?.cause?.code;
};

export interface Parsed {
  /** Results decided without the database (validation failures), by input index. */
  results: (EventResult | undefined)[];
  candidates: Candidate[];
}

/** Validates each event on its own; `pathPrefix` names the events in error paths (["events"] for a batch body). */
export function parseEvents(raws: unknown[], pathPrefix: (string | number)[] = []): Parsed {
  const results: (EventResult | undefined)[] = new Array(raws.length);
  const candidates: Candidate[] = [];
  raws.forEach((raw, index) => {
    const rawId = typeof (raw as { id?: unknown })?.id === "string" ? (raw as { id: string }).id : "";
    // The whole event first (depth, text the database would refuse anywhere, unknown keys too: it is stored as sent), then its fields.
    const json = eventJson.safeParse(raw);
    const parsed = json.success ? eventInput.safeParse(raw) : json;
    if (!parsed.success) {
      const prefix = pathPrefix.length ? [...pathPrefix, index] : [];
      const issues = issuesOf(parsed.error, prefix);
      results[index] = { id: rawId, status: "rejected", error: { code: "validation_failed", message: issues.map((i) => `${i.path || "event"}: ${i.message}`).join("; "), issues } };
      return;
    }
    candidates.push({ index, event: parsed.data as EventInput, raw, hash: sha256(canonicalJson(raw)), at: new Date(parsed.data.occurredAt) });
  });
  return { results, candidates };
}

/**
 * Applies valid events exactly once, in order, in one transaction (retried on a lost race), and
 * returns one result per candidate. The same id twice among them: the later copy is a duplicate
 * of the first (or a conflict if its body differs).
 */
export async function applyEvents(db: Db, merchantId: string, candidates: Candidate[]): Promise<EventResult[]> {
  const firsts: Candidate[] = [];
  const firstIndex = new Map<string, number>();
  for (const c of candidates) if (!firstIndex.has(c.event.id)) firstIndex.set(c.event.id, firsts.push(c) - 1);
  let outcome: EventResult[] = [];
  if (firsts.length) {
    const keys = keysOf(firsts);
    for (let attempt = 1; ; attempt++) {
      try {
        outcome = await withBigBatchSlot(keys.length, () => pipelinedTransaction(db, (pipe) => applyCandidates(pipe, merchantId, firsts, keys)));
        break;
      } catch (e) {
        if (attempt < 4 && RETRYABLE.has(pgCode(e) ?? "")) continue;
        throw e;
      }
    }
  }
  return candidates.map((c) => {
    const i = firstIndex.get(c.event.id)!;
    const first = firsts[i];
    if (first === c) return outcome[i];
    if (c.hash !== first.hash) return { id: c.event.id, status: "rejected", error: { code: "conflict", message: `event ${c.event.id} was already sent with a different body` } };
    return outcome[i].status === "rejected" ? { ...outcome[i] } : { id: c.event.id, status: "duplicate" };
  });
}

/** Validates and applies events; one result per input, in input order. */
export async function ingestEvents(db: Db, merchantId: string, raws: unknown[], pathPrefix: (string | number)[] = []): Promise<EventResult[]> {
  const { results, candidates } = parseEvents(raws, pathPrefix);
  const applied = await applyIsolating(db, merchantId, candidates);
  candidates.forEach((c, i) => (results[c.index] = applied[i]));
  return results as EventResult[];
}

/**
 * applyEvents; when the batch's transaction fails for a reason validation did not catch (not an
 * AppError: something the database refused), the batch is applied again in halves, in order, down to
 * the event at fault, which alone is rejected (`internal`; the details go to the log). The failed
 * transaction kept nothing, so nothing is applied twice; a repeated event id in a later half reads as
 * the duplicate it is.
 */
async function applyIsolating(db: Db, merchantId: string, cs: Candidate[]): Promise<EventResult[]> {
  try {
    return await applyEvents(db, merchantId, cs);
  } catch (e) {
    if (e instanceof AppError || cs.length === 0) throw e;
    if (cs.length === 1) {
      console.error(`event ${cs[0].event.id} of merchant ${merchantId} refused by the database:`, e);
      return [{ id: cs[0].event.id, status: "rejected", error: { code: "internal", message: "the database refused this event (details in the server's log)" } }];
    }
    const half = Math.ceil(cs.length / 2);
    return [...(await applyIsolating(db, merchantId, cs.slice(0, half))), ...(await applyIsolating(db, merchantId, cs.slice(half)))];
  }
}

/** Each merchant's program version list as last read: lets a batch plan every load before its first round trip. */
const lastVersions = new Map<string, Versions>();
const sameVersions = (a: Versions, b: Versions) =>
  a.length === b.length && a.every((v, i) => v.version === b[i].version && v.effectiveFrom.getTime() === b[i].effectiveFrom.getTime());

/**
 * The loads that depend on the program in force at each event (once-only sources, daily counts,
 * windowed measures), planned for a version list. Loading for more events than end up fresh
 * (duplicates) only loads a little more. `db` is called only for a version not cached yet (making the
 * transaction's drizzle handle was 7% of the engine thread's time with single events).
 */
async function programLoads(db: () => Db, merchantId: string, cs: Candidate[], versions: Versions, memberIds: string[]) {
  if (!versions.length) throw new AppError("not_found", "this merchant has no program yet");
  const versionAt = (at: Date) => {
    let v = versions[0];
    // Versions are in number order and their start instants never go back (saveProgram keeps it so).
    for (const x of versions) if (x.effectiveFrom <= at) v = x;
    return v.version;
  };
  const programs = new Map<number, LoadedProgram>();
  for (const c of cs) {
    const v = versionAt(c.at);
    if (!programs.has(v)) programs.set(v, cachedProgramVersion(merchantId, v) ?? (await loadProgramVersion(db(), merchantId, v)));
  }
  const programOf = (c: Candidate) => programs.get(versionAt(c.at))!;

  const sources: string[] = [];
  const dailyMembers: string[] = [];
  const dailyDates: string[] = [];
  const firingMembers: string[] = [];
  const firingDates: string[] = [];
  for (const c of cs) {
    const e = c.event;
    const p = programOf(c);
    const date = businessDate(c.at, p.timeZone);
    if (e.type === "member.checked_in") sources.push(`checkin:${e.memberId}:${date}`);
    if (e.type === "profile.completed") sources.push(`profile:${e.memberId}`);
    if (e.type === "referral.completed") sources.push(`referral:${e.data.refereeId}:referrer`, `referral:${e.data.refereeId}:referee`);
    if (e.type === "order.paid" && e.memberId) {
      for (const camp of p.campaigns) if (camp.effect.kind === "grantRight") sources.push(`campaign:${camp.code}:${e.memberId}:${date}`);
      // An order may upgrade its member: the upgrade automations fire once per tier and day.
      if (p.automations.some((a) => a.trigger.kind === "tierUpgraded")) {
        firingMembers.push(e.memberId);
        firingDates.push(date);
      }
    }
    if (e.type === "member.checked_in" && p.points.streakRightCode) sources.push(`streak:${e.memberId}:${date}`);
    if (["member.checked_in", "review.posted", "content.shared", "profile.completed", "referral.completed"].includes(e.type)) {
      dailyMembers.push(e.memberId!);
      if (e.type === "referral.completed") dailyMembers.push(e.data.refereeId);
      dailyDates.push(date);
    }
  }
  const request: LoadRequest = { sources, daily: { members: dailyMembers, dates: dailyDates }, firings: { members: firingMembers, dates: firingDates } };
  if ([...programs.values()].some((p) => [...windowsUsed(p)].some((w) => !w.endsWith(":lifetime")))) {
    const earliest = cs.reduce((min, c) => (c.at < min ? c.at : min), new Date());
    request.windowed = { members: memberIds, since: addDays(businessDate(earliest, "UTC"), -400) };
  }
  return { programOf, request };
}

/** The members and orders a batch touches, and their lock keys. */
function keysOf(cs: Candidate[]) {
  const memberIds = new Set<string>();
  const orderIds = new Set<string>();
  for (const { event: e } of cs) {
    if (e.memberId) memberIds.add(e.memberId);
    if (e.type === "referral.completed") memberIds.add(e.data.refereeId);
    if (e.type === "order.paid" || e.type === "order.refunded") orderIds.add(e.data.orderId);
  }
  const members = [...memberIds];
  const orders = [...orderIds];
  return Object.assign([...members.map((x) => `m:${x}`), ...orders.map((x) => `o:${x}`)], { members, orders });
}

/** Applies the batch in memory and returns the results and the one statement that writes it all. */
async function applyCandidates(pipe: Pipeline, merchantId: string, cs: Candidate[], keys: ReturnType<typeof keysOf>): Promise<{ result: EventResult[]; last: Stmt | null }> {
  const { members } = keys;
  const orderIds = keys.orders;
  const b = new Batch(merchantId);
  const known = lastVersions.get(merchantId);
  const planned = known?.length ? await programLoads(pipe.db, merchantId, cs, known, members) : null;
  // The advisory locks, then one statement for all the loads, sent together (with BEGIN): the
  // server runs the load once the locks are held, with a snapshot taken then, so it sees the rows
  // as the batches before this one left them. The loads are planned on the version list last seen
  // and loaded again (rarely) when the list the load returns differs: a program saved meanwhile.
  const [, { stored, versions }] = await Promise.all([
    lockKeys(pipe, merchantId, keys),
    loadState(pipe, b, {
      ...planned?.request,
      versions: true,
      // Idempotency: ids already stored are duplicates (same body) or conflicts (another body).
      eventIds: cs.map((c) => c.event.id),
      members,
      orders: orderIds,
      lotMembers: cs.filter((c) => c.event.type === "order.refunded" && c.event.memberId).map((c) => c.event.memberId!),
      grants: cs.flatMap((c) => (c.event.type === "right.redeemed" && c.event.data.grantId ? [c.event.data.grantId] : [])),
      codes: cs.flatMap((c) => (c.event.type === "right.redeemed" && c.event.data.code ? [c.event.data.code] : [])),
      holdOrders: cs.flatMap((c) => (c.event.type === "order.refunded" && c.event.memberId ? [c.event.data.orderId] : [])),
    }),
  ]);
  lastVersions.set(merchantId, versions!);
  let programOf = planned?.programOf;
  if (!planned || !known || !sameVersions(known, versions!)) {
    const again = await programLoads(pipe.db, merchantId, cs, versions!, members);
    await loadState(pipe, b, again.request);
    programOf = again.programOf;
  }
  await loadMembershipsFor(pipe, b, cs, programOf!);
  const results: EventResult[] = [];
  const eventRows: (typeof events.$inferInsert)[] = [];
  const dates: string[] = [];
  for (const c of cs) {
    const e = c.event;
    const prior = stored.get(e.id);
    if (prior !== undefined) {
      results.push(prior === c.hash ? { id: e.id, status: "duplicate" } : { id: e.id, status: "rejected", error: { code: "conflict", message: `event ${e.id} was already applied with a different body` } });
      continue;
    }
    const program = programOf!(c);
    const date = businessDate(c.at, program.timeZone);
    try {
      applyEvent(b, { event: e, program, at: c.at, date });
      // The wallet is not kept in the batch: its work runs now, in event order, on the transaction.
      for (const op of b.walletOps.splice(0)) await runWalletOp(pipe.db(), merchantId, op, program, c.at, date);
      eventRows.push({ merchantId, eventId: e.id, type: e.type, occurredAt: c.at, memberId: e.memberId, bodyHash: c.hash, payload: c.raw, programVersion: program.version });
      results.push({ id: e.id, status: "applied" });
      dates.push(date);
    } catch (err) {
      b.walletOps.length = 0;
      if (!(err instanceof AppError)) throw err;
      results.push({ id: e.id, status: "rejected", error: err.toJSON() });
    }
  }
  const first = [...dates, ...(dates.length ? b.touchedDates : [])].reduce<string | null>((min, d) => (min === null || d < min ? d : min), null);
  return { result: results, last: batchWrites(b, eventRows, [...(first ? invalidateRollupsSql(merchantId, first, keys) : []), ...membershipWrites(b)]) };
}

import { and, eq } from "drizzle-orm";

import type { Db } from "@/db/client";
import { redemptions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { canonicalJson, newId, sha256 } from "@/lib/util/ids";
import { businessDate } from "@/lib/util/dates";
import { currentProgram } from "@/lib/program/store";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { Batch } from "@/lib/engine/batch";
import { loadLots, loadMembers, lockKeys } from "@/lib/engine/load";
import { writeBatch } from "@/lib/engine/write";
import { invalidateRollupsSql, openDayLogSql } from "@/lib/metrics/rollup";
import type { RedemptionInput } from "@/lib/schemas/events";

/** Loads one member, locked against concurrent batches (and `also`), with their lots, into a fresh batch. */
async function lockedMember(tx: Db, merchantId: string, memberId: string, also: string[] = []) {
  await lockKeys(tx, merchantId, [`m:${memberId}`, ...also]);
  const b = new Batch(merchantId);
  await loadMembers(tx, b, [memberId]);
  const m = b.memberOrThrow(memberId);
  await loadLots(tx, b, [memberId]);
  return { b, m };
}

/**
 * Spends points oldest-expiring first. `id` is the idempotency key: the same request again returns
 * the first answer; the same id with another body is a conflict. Not enough points → nothing spent.
 */
/** `at` (default now) is when the points were spent: the demo history's redemptions carry their own time. */
export async function redeemPoints(db: Db, merchantId: string, memberId: string, input: RedemptionInput, at = new Date()) {
  const hash = sha256(canonicalJson(input));
  return db.transaction(async (tx) => {
    // The redemption id is locked too: the same id sent for two members at once is made once, and
    // the other request then finds it here (a conflict) instead of failing on the table's key.
    const { b, m } = await lockedMember(tx, merchantId, memberId, [`r:${input.id}`]);
    const [prior] = await tx.select().from(redemptions).where(and(eq(redemptions.merchantId, merchantId), eq(redemptions.redemptionId, input.id)));
    if (prior) {
      if (prior.memberId !== memberId) throw new AppError("conflict", `redemption ${input.id} was already made for another member`, [{ path: "id", message: "already used for another member" }]);
      if (prior.bodyHash !== hash) throw new AppError("conflict", `redemption ${input.id} was already made with a different body`);
      return { id: input.id, points: prior.points, balance: m.pointsBalance, duplicate: true };
    }
    // Points open checkout holds set aside stay in the balance but cannot be redeemed.
    const available = m.pointsBalance - b.heldPoints(memberId);
    if (available < input.points)
      throw new AppError("insufficient_points", `available points ${available} are less than ${input.points}`, [{ path: "points", message: `more than the ${available} available points` }]);
    const program = await currentProgram(tx, merchantId);
    const date = businessDate(at, program.timeZone);
    b.deductPoints(m, input.points, { kind: "spend", source: `redemption:${input.id}`, rule: "redemption", reason: input.reason, code: "redemption", params: { text: input.reason }, at, date, version: program.version, allowDebt: false });
    const keys = [...b.members.keys()].map((x) => `m:${x}`);
    // A redemption dated before today (the demo history's) leaves the KPI aggregates from its day stale, as a backdated event does.
    await writeBatch(tx, b, [], date < businessDate(new Date(), program.timeZone) ? invalidateRollupsSql(merchantId, date, keys) : [openDayLogSql(merchantId, keys)]);
    await tx.insert(redemptions).values({ merchantId, redemptionId: input.id, memberId, points: input.points, reason: input.reason, bodyHash: hash, createdAt: at });
    return { id: input.id, points: input.points, balance: m.pointsBalance, duplicate: false };
  });
}

/** An operator's manual adjustment of points or growth, with a required reason and an audit row. */
export async function adjustMember(
  db: Db,
  merchantId: string,
  memberId: string,
  input: { measure: "points" | "growth"; delta: number; reason: string },
  actor: Actor,
) {
  return db.transaction(async (tx) => {
    const { b, m } = await lockedMember(tx, merchantId, memberId);
    const program = await currentProgram(tx, merchantId);
    const at = new Date();
    const date = businessDate(at, program.timeZone);
    const source = `adjust:${newId()}`;
    const before = { points: m.pointsBalance, growth: m.growth, tier: m.tierCode };
    const by = actor.kind === "user" ? actor.email : "API";
    const reason = { reason: `${input.reason} — ${by}`, code: "manual" as const, params: { text: input.reason, by } };
    if (input.measure === "points") {
      if (input.delta > 0) b.earnPoints(m, program, input.delta, { kind: "adjust", source, rule: "manual", ...reason, at, date });
      else {
        const available = m.pointsBalance - b.heldPoints(memberId);
        if (available < -input.delta)
          throw new AppError("insufficient_points", `available points ${available} are less than ${-input.delta}`, [{ path: "delta", message: `at most −${available} (points held by open checkouts excluded)` }]);
        b.deductPoints(m, -input.delta, { kind: "adjust", source, rule: "manual", ...reason, at, date, version: program.version, allowDebt: false });
      }
    } else {
      if (m.growth + input.delta < 0) throw new AppError("validation_failed", "growth cannot go below 0", [{ path: "delta", message: `at most −${m.growth}` }]);
      b.addGrowth(m, program, input.delta, { kind: "adjust", source, rule: "manual", ...reason, at, date });
      b.evaluateUpgrade(m, program, at, date, source);
    }
    await writeBatch(tx, b, [], [openDayLogSql(merchantId, [...b.members.keys()].map((x) => `m:${x}`))]);
    const after = { points: m.pointsBalance, growth: m.growth, tier: m.tierCode };
    await writeAudit(tx, actor, { merchantId, action: `member.adjust_${input.measure}`, entity: "member", entityId: memberId, before, after: { ...after, delta: input.delta, reason: input.reason } });
    return after;
  });
}

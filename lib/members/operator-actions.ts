import type { Db } from "@/db/client";
import { codeColumns } from "@/lib/reasons/row";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/util/ids";
import { businessDate } from "@/lib/util/dates";
import { currentProgram } from "@/lib/program/store";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { Batch } from "@/lib/engine/batch";
import { loadMembers, lockKeys } from "@/lib/engine/load";
import { writeBatch } from "@/lib/engine/write";
import { openDayLogSql } from "@/lib/metrics/rollup";
import type { GrantRightInput, SetTierInput } from "@/lib/schemas/members";

const by = (actor: Actor) => (actor.kind === "user" ? actor.email : "API");

async function lockedMember(tx: Db, merchantId: string, memberId: string) {
  await lockKeys(tx, merchantId, [`m:${memberId}`]);
  const b = new Batch(merchantId);
  await loadMembers(tx, b, [memberId]);
  return { b, m: b.memberOrThrow(memberId) };
}

/** Issues one instance of a right to a member by hand (a goodwill gesture), with an audit row. */
export async function grantRight(db: Db, merchantId: string, input: GrantRightInput, actor: Actor) {
  return db.transaction(async (tx) => {
    const { b, m } = await lockedMember(tx, merchantId, input.memberId);
    const program = await currentProgram(tx, merchantId);
    if (!program.rights.some((r) => r.code === input.rightCode))
      throw new AppError("validation_failed", `no right "${input.rightCode}" in the program`, [{ path: "rightCode", message: "not a right of the program" }]);
    const source = `manual:${newId()}`;
    b.issueRight(m, program, input.rightCode, source, new Date(), m.tierCode);
    const issued = [...b.rights.values()][0];
    await writeBatch(tx, b, [], [openDayLogSql(merchantId, [...b.members.keys()].map((x) => `m:${x}`))]);
    await writeAudit(tx, actor, {
      merchantId,
      action: "member.grant_right",
      entity: "member",
      entityId: m.memberId,
      after: { right: input.rightCode, grantId: issued.grantId, reason: input.reason, by: by(actor) },
    });
    return { grantId: issued.grantId, right: input.rightCode, expiresAt: issued.expiresAt?.toISOString() ?? null };
  });
}

/**
 * Sets a member's tier by hand. It is a floor only until the next period evaluation: the tier
 * counts from now (tier_since), so the downgrade rule's clock restarts, and the period job may
 * then move the member as the rules say and clears the manual mark.
 */
export async function setTierManually(db: Db, merchantId: string, input: SetTierInput, actor: Actor) {
  return db.transaction(async (tx) => {
    const { b, m } = await lockedMember(tx, merchantId, input.memberId);
    const program = await currentProgram(tx, merchantId);
    if (!program.tiers.some((t) => t.code === input.tierCode))
      throw new AppError("validation_failed", `no tier "${input.tierCode}" in the program`, [{ path: "tierCode", message: "not a tier of the program" }]);
    if (m.tierCode === input.tierCode) throw new AppError("validation_failed", "the member is already in this tier", [{ path: "tierCode", message: "already the member's tier" }]);
    const at = new Date();
    const before = { tier: m.tierCode, tierSince: m.tierSince.toISOString() };
    b.tierRows.push({
      memberId: m.memberId,
      fromTier: m.tierCode,
      toTier: input.tierCode,
      direction: "manual",
      reason: `${input.reason} — ${by(actor)}`,
      ...codeColumns({ code: "manual", params: { text: input.reason, by: by(actor) } }),
      source: `manual-tier:${newId()}`,
      changedAt: at,
      businessDate: businessDate(at, program.timeZone),
    });
    m.tierCode = input.tierCode;
    m.manualTierCode = input.tierCode;
    m.tierSince = at;
    m.trialUntil = null;
    m.dirty = true;
    await writeBatch(tx, b, [], [openDayLogSql(merchantId, [...b.members.keys()].map((x) => `m:${x}`))]);
    await writeAudit(tx, actor, { merchantId, action: "member.set_tier", entity: "member", entityId: m.memberId, before, after: { tier: input.tierCode, tierSince: at.toISOString(), reason: input.reason } });
    return { tier: input.tierCode, tierSince: at.toISOString() };
  });
}

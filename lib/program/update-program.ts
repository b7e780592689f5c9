import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { writeAudit } from "@/lib/audit";
import { programInput } from "@/lib/schemas/program";
import { canonical } from "./describe-changes";
import { AppError } from "@/lib/errors";
import { currentProgram, parseProgramOrThrow, saveProgram, toExport } from "./store";
import { mallItemsLosing } from "./mall-guard";

/**
 * Replaces the merchant's program with a new version in force from now (events before keep their
 * rules). Validates all of it first: any issue and nothing changes (nor may it remove a right or plan
 * an active mall item uses). One audit row with before/after.
 * A program the same as the one in force (after both are parsed, so defaults and key order do not
 * count) makes no version and no audit row: `unchanged` is true and `version` the current one.
 */
export async function replaceProgram(db: Db, merchantId: string, input: unknown, actor: Actor, note?: string) {
  const program = parseProgramOrThrow(input);
  return db.transaction(async (tx) => {
    // The lock saveProgram takes (advisory locks nest in a transaction): no save comes between the comparison and the write.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"program:" + merchantId}))`);
    const current = await currentProgram(tx, merchantId);
    const before = toExport(current);
    const normalized = programInput.safeParse(before);
    if (normalized.success && canonical(normalized.data) === canonical(program)) return { version: current.version, unchanged: true };
    // A right or plan an active mall item issues cannot be removed from under it.
    const losing = await mallItemsLosing(tx, merchantId, program);
    if (losing.length) throw new AppError("validation_failed", losing.map((i) => i.message).join("; "), losing);
    const version = await saveProgram(tx, merchantId, program, { createdBy: actor.kind === "user" ? actor.email : `key ${actor.prefix}`, note });
    await writeAudit(tx, actor, { merchantId, action: "program.update", entity: "program", entityId: String(version), before, after: program });
    return { version, unchanged: false };
  });
}

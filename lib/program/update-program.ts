import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { currentProgram, parseProgramOrThrow, saveProgram, toExport } from "./store";
import { mallItemsLosing } from "./mall-guard";

/**
 * Replaces the merchant's program with a new version in force from now (events before keep their
 * rules). Validates all of it first: any issue and nothing changes (nor may it remove a right or plan
 * an active mall item uses). One audit row with before/after.
 */
export async function replaceProgram(db: Db, merchantId: string, input: unknown, actor: Actor, note?: string) {
  const program = parseProgramOrThrow(input);
  return db.transaction(async (tx) => {
    const before = toExport(await currentProgram(tx, merchantId));
    // A right or plan an active mall item issues cannot be removed from under it.
    const losing = await mallItemsLosing(tx, merchantId, program);
    if (losing.length) throw new AppError("validation_failed", losing.map((i) => i.message).join("; "), losing);
    const version = await saveProgram(tx, merchantId, program, { createdBy: actor.kind === "user" ? actor.email : `key ${actor.prefix}`, note });
    await writeAudit(tx, actor, { merchantId, action: "program.update", entity: "program", entityId: String(version), before, after: program });
    return { version };
  });
}

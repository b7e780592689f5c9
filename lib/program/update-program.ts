import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { writeAudit } from "@/lib/audit";
import { currentProgram, parseProgramOrThrow, saveProgram, toExport } from "./store";

/**
 * Replaces the merchant's program with a new version in force from now (events before keep their
 * rules). Validates all of it first: any issue and nothing changes. One audit row with before/after.
 */
export async function replaceProgram(db: Db, merchantId: string, input: unknown, actor: Actor, note?: string) {
  const program = parseProgramOrThrow(input);
  return db.transaction(async (tx) => {
    const before = toExport(await currentProgram(tx, merchantId));
    const version = await saveProgram(tx, merchantId, program, { createdBy: actor.kind === "user" ? actor.email : `key ${actor.prefix}`, note });
    await writeAudit(tx, actor, { merchantId, action: "program.update", entity: "program", entityId: String(version), before, after: program });
    return { version };
  });
}

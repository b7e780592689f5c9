import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { currentProgram, toExport } from "@/lib/program/store";
import { replaceProgram } from "@/lib/program/update-program";
import type { Program } from "@/lib/schemas/program";
import type { QuickChange, quickChangeInput } from "@/lib/schemas/workbench";
import { makeQuickChange } from "./quick-change";

/** The program with one quick change made, and a note for the version. Unknown targets are refused. */
export function withQuickChange(program: Program, change: QuickChange): { program: Program; note: string } {
  const p = structuredClone(program);
  if (!makeQuickChange(p, change)) {
    const what = change.kind === "automationEnabled" ? "automation" : "campaign";
    const code = change.kind === "matrixCell" ? "" : change.code;
    throw new AppError("not_found", `no ${what} "${code}"`, [{ path: "change.code", message: `unknown ${what} "${code}"` }]);
  }
  const note =
    change.kind === "matrixCell"
      ? `matrix ${change.tierCode}/${change.rightCode}`
      : `${change.kind === "automationEnabled" ? "automation" : "campaign"} ${change.code} ${change.enabled ? "enabled" : "disabled"}`;
  return { program: p, note };
}

/**
 * Saves one quick change as a new version in force from now, with its audit row, in one
 * transaction — only if the program in force is still `baseVersion`, the version the editor shows:
 * otherwise 409 `conflict` and nothing changes. The whole changed program is validated as usual
 * (a bad matrix cell is refused with its field, e.g. `matrix.12.quantity`).
 */
export async function applyQuickChange(db: Db, merchantId: string, input: z.output<typeof quickChangeInput>, actor: Actor) {
  return db.transaction(async (tx) => {
    // The lock saveProgram takes: no other save can come between the check and the write.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"program:" + merchantId}))`);
    const current = await currentProgram(tx, merchantId);
    if (current.version !== input.baseVersion)
      throw new AppError("conflict", `the program has changed since version ${input.baseVersion}: it is now version ${current.version}; reload`, [
        { path: "baseVersion", message: `the program is now version ${current.version}` },
      ]);
    const { program, note } = withQuickChange(toExport(current), input.change);
    return replaceProgram(tx, merchantId, program, actor, note);
  });
}

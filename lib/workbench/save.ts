import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { currentProgram, toExport } from "@/lib/program/store";
import { replaceProgram } from "@/lib/program/update-program";
import type { Program } from "@/lib/schemas/program";
import type { z } from "zod";
import type { programSettingsInput } from "@/lib/schemas/workbench";

/**
 * Saves an editor's whole program as a new version in force from now, in one transaction with its
 * audit row. Members of a tier the new program removes move to the tier the operator chose; a
 * removed tier with members and no destination is refused, so no member is left without a tier.
 * With `baseVersion`, a save over a version the editor has not seen is refused (409 conflict).
 */
export async function saveProgramFromEditor(
  db: Db,
  merchantId: string,
  input: { program: Program; tierMoves: { from: string; to: string }[]; baseVersion?: number },
  actor: Actor,
) {
  const { program, tierMoves, baseVersion } = input;
  const kept = new Set(program.tiers.map((t) => t.code));
  return db.transaction(async (tx) => {
    // The lock saveProgram takes: no other save comes between the version check and the write.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"program:" + merchantId}))`);
    const current = await currentProgram(tx, merchantId);
    if (baseVersion !== undefined && current.version !== baseVersion)
      throw new AppError("conflict", `the program has changed since version ${baseVersion}: it is now version ${current.version}; reload`, [
        { path: "baseVersion", message: `the program is now version ${current.version}` },
      ]);
    const removed = current.tiers.map((t) => t.code).filter((c) => !kept.has(c));
    if (removed.length) {
      const counts = await tx
        .select({ tier: members.tierCode, n: sql<number>`count(*)::int` })
        .from(members)
        .where(and(eq(members.merchantId, merchantId), inArray(members.tierCode, removed)))
        .groupBy(members.tierCode);
      for (const c of counts) {
        const move = tierMoves.find((m) => m.from === c.tier);
        if (Number(c.n) > 0 && (!move || !kept.has(move.to)))
          throw new AppError("validation_failed", `tier "${c.tier}" has ${c.n} members: choose the tier they move to`, [
            { path: "tierMoves", message: `tier "${c.tier}" has members: choose the tier they move to` },
          ]);
      }
    }
    const note = tierMoves.length ? `moved members: ${tierMoves.map((m) => `${m.from}→${m.to}`).join(", ")}` : "workbench";
    const result = await replaceProgram(tx, merchantId, program, actor, note);
    for (const m of tierMoves)
      if (removed.includes(m.from))
        await tx
          .update(members)
          .set({ tierCode: m.to, tierSince: new Date(), updatedAt: new Date() })
          .where(and(eq(members.merchantId, merchantId), eq(members.tierCode, m.from)));
    return result;
  });
}

/** Settings → Program: time zone, lifecycle day counts and operating costs, merged into the program. */
export async function saveProgramSettings(db: Db, merchantId: string, input: z.output<typeof programSettingsInput>, actor: Actor) {
  const program = toExport(await currentProgram(db, merchantId));
  return replaceProgram(db, merchantId, { ...program, ...input }, actor, "settings");
}

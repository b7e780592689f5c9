import { redirect } from "next/navigation";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { currentProgram, toExport } from "@/lib/program/store";

/** What every editor page needs: the signed-in user, the program to edit, and whether it is read-only. */
export async function loadEditor() {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  const loaded = await currentProgram(db, actor.merchantId);
  // A deep copy: the loaded version is cached for the process and must never be changed.
  const program = structuredClone(toExport(loaded));
  return { actor, db, merchantId: actor.merchantId, program, version: loaded.version, effectiveFrom: loaded.effectiveFrom, readOnly: !can(actor, "program.write") };
}

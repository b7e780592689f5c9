import { z } from "zod";
import { safeText } from "./text";
import { programFields, programInput } from "./program";

/** Saving the whole program from an editor; `tierMoves` says where members of removed tiers go. */
export const saveProgramInput = z.object({
  program: programInput,
  tierMoves: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) })).max(8).default([]),
  /** The version the editor's values are based on: a save over a newer one is refused (409). Import omits it. */
  baseVersion: z.number().int().positive().optional(),
});
export type SaveProgramInput = z.input<typeof saveProgramInput>;

const code = z.string().min(1).max(40);

/**
 * One small change saved at once from an editor (optimistic in the UI): applied to the program in
 * force, and refused (409 conflict) when that is no longer the version the editor was showing.
 */
export const quickChangeInput = z.object({
  baseVersion: z.number().int().positive(),
  change: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("automationEnabled"), code, enabled: z.boolean() }),
    z.object({ kind: z.literal("campaignEnabled"), code, enabled: z.boolean() }),
    /** A rights-matrix cell's value and quantity (its unit cost override is kept); an empty cell is removed. */
    z.object({ kind: z.literal("matrixCell"), tierCode: code, rightCode: code, value: z.string().nullable(), quantity: z.number().int() }),
  ]),
});
export type QuickChange = z.output<typeof quickChangeInput>["change"];

/** Settings → Program: the owner's part of the program. */
export const programSettingsInput = z
  .object({ timeZone: programFields.shape.timeZone, lifecycle: programFields.shape.lifecycle, costs: programFields.shape.costs })
  .superRefine((p, ctx) => {
    if (!(p.lifecycle.dormantDays < p.lifecycle.lostDays))
      ctx.addIssue({ code: "custom", path: ["lifecycle", "lostDays"], message: "must be greater than the dormant day count" });
  });
export type ProgramSettingsInput = z.input<typeof programSettingsInput>;

export const auditFilter = z.object({
  action: safeText().max(60).optional(),
  entity: safeText().max(60).optional(),
  actor: safeText().max(120).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type AuditFilter = z.infer<typeof auditFilter>;

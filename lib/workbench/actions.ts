"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { programInput } from "@/lib/schemas/program";
import { z } from "zod";
import { programSettingsInput, quickChangeInput, saveProgramInput } from "@/lib/schemas/workbench";
import { currentProgram } from "@/lib/program/store";
import { saveProgramFromEditor, saveProgramSettings } from "./save";
import { previewProgramChange } from "./preview";
import { applyQuickChange } from "./quick";

const editorPaths = ["/tiers", "/rights", "/points", "/campaigns", "/automations", "/settings/program"];

/** Every editor: saves the whole program (a new version from now, one audit row). */
export const saveProgramAction = merchantAction("program.write", saveProgramInput, async (input, { db, merchantId, actor }) => {
  const result = await saveProgramFromEditor(db, merchantId, input, actor);
  for (const p of editorPaths) revalidatePath(p);
  return result;
});

/** Automation and campaign switches, matrix cells: one change saved at once (the editor shows it optimistically). */
export const quickChangeAction = merchantAction("program.write", quickChangeInput, async (input, { db, merchantId, actor }) => {
  const result = await applyQuickChange(db, merchantId, input, actor);
  for (const p of editorPaths) revalidatePath(p);
  return result;
});

/** The version in force and since when: what the editors' version note shows, refreshed after each save. */
export const programHeadAction = merchantAction("program.read", z.object({}), async (_input, { db, merchantId }) => {
  const p = await currentProgram(db, merchantId);
  return { version: p.version, effectiveFrom: p.effectiveFrom.toISOString() };
});

/** Tiers and matrix editors: what the proposed program would do, before it is saved. */
export const previewProgramAction = merchantAction("program.write", programInput, (input, { db, merchantId }) =>
  previewProgramChange(db, merchantId, input),
);

/** Settings → Program (owner): time zone, lifecycle day counts, operating costs. */
export const saveProgramSettingsAction = merchantAction("settings.write", programSettingsInput, async (input, { db, merchantId, actor }) => {
  const result = await saveProgramSettings(db, merchantId, input, actor);
  for (const p of editorPaths) revalidatePath(p);
  return result;
});

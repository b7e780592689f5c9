"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { programInput } from "@/lib/schemas/program";
import { programSettingsInput, saveProgramInput } from "@/lib/schemas/workbench";
import { saveProgramFromEditor, saveProgramSettings } from "./save";
import { previewProgramChange } from "./preview";

const editorPaths = ["/tiers", "/rights", "/points", "/campaigns", "/automations", "/settings/program"];

/** Every editor: saves the whole program (a new version from now, one audit row). */
export const saveProgramAction = merchantAction("program.write", saveProgramInput, async (input, { db, merchantId, actor }) => {
  const result = await saveProgramFromEditor(db, merchantId, input, actor);
  for (const p of editorPaths) revalidatePath(p);
  return result;
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

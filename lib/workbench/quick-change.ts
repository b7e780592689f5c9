import type { ProgramInput } from "@/lib/schemas/program";
import type { QuickChange } from "@/lib/schemas/workbench";

/** The form path a quick change touches (for the editor's optimistic update). */
export const quickChangeKey = (c: QuickChange) => (c.kind === "matrixCell" ? `matrix:${c.tierCode}/${c.rightCode}` : `${c.kind}:${c.code}`);

/**
 * Makes one quick change in place — on the server to the program in force, in the editor to its
 * values and baseline — and returns false when its target is not there (an unknown code).
 * A matrix cell keeps its unit cost override; a cell left with nothing in it is removed.
 */
export function makeQuickChange(p: ProgramInput, change: QuickChange): boolean {
  if (change.kind === "automationEnabled" || change.kind === "campaignEnabled") {
    const list: { code?: string; enabled?: boolean }[] = change.kind === "automationEnabled" ? p.automations : p.campaigns;
    const item = list.find((x) => x.code === change.code);
    if (!item) return false;
    item.enabled = change.enabled;
    return true;
  }
  const i = p.matrix.findIndex((c) => c.tierCode === change.tierCode && c.rightCode === change.rightCode);
  const unitCost = i >= 0 ? (p.matrix[i].unitCost ?? null) : null;
  const cell = { tierCode: change.tierCode, rightCode: change.rightCode, value: change.value || null, quantity: change.quantity, unitCost };
  if (cell.quantity === 0 && !cell.value && cell.unitCost === null) {
    if (i >= 0) p.matrix.splice(i, 1);
  } else if (i >= 0) p.matrix[i] = cell;
  else p.matrix.push(cell);
  return true;
}

/** The change that puts back what `change` replaces in `p` (read before it is made). */
export function inverseQuickChange(p: ProgramInput, change: QuickChange): QuickChange {
  if (change.kind === "automationEnabled" || change.kind === "campaignEnabled") {
    const list: { code?: string; enabled?: boolean }[] = change.kind === "automationEnabled" ? p.automations : p.campaigns;
    return { ...change, enabled: list.find((x) => x.code === change.code)?.enabled !== false };
  }
  const cell = p.matrix.find((c) => c.tierCode === change.tierCode && c.rightCode === change.rightCode);
  return { ...change, value: cell?.value ?? null, quantity: cell?.quantity ?? 0 };
}

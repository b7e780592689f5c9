import type { Program } from "@/lib/schemas/program";

/** Unit cost of one instance of a matrix cell: the cell's override, else the right's. */
export function cellUnitCost(p: Pick<Program, "rights">, cell: Program["matrix"][number]): number {
  const right = p.rights.find((r) => r.code === cell.rightCode);
  return cell.unitCost ?? right?.unitCost ?? 0;
}

export interface TierMonthlyCost {
  /** Fen per member per month of monthly-cadence rights. */
  monthly: number;
  /** Fen per member with a birthday, in their birthday month. */
  birthday: number;
  /** Estimated fen per member per month: monthly + birthday ÷ 12 (every member counted as having a birthday). */
  perMemberMonth: number;
}

/**
 * Estimated rights cost per member per month of each tier: monthly-cadence cells × quantity × unit
 * cost, plus birthday cells spread over twelve months. Rights of other cadences (always, upgrade,
 * once) have no monthly rate and are left out.
 */
export function tierMonthlyCosts(p: Pick<Program, "tiers" | "rights" | "matrix">): Record<string, TierMonthlyCost> {
  const out: Record<string, TierMonthlyCost> = {};
  for (const t of p.tiers) out[t.code] = { monthly: 0, birthday: 0, perMemberMonth: 0 };
  for (const cell of p.matrix) {
    const right = p.rights.find((r) => r.code === cell.rightCode);
    const tier = out[cell.tierCode];
    if (!right || !tier) continue;
    const cost = cell.quantity * cellUnitCost(p, cell);
    if (right.cadence === "monthly") tier.monthly += cost;
    else if (right.cadence === "birthday") tier.birthday += cost;
  }
  for (const c of Object.values(out)) c.perMemberMonth = c.monthly + c.birthday / 12;
  return out;
}

/**
 * Monthly cost of each paid-membership plan per card holder (fen): its monthly-cadence rights ×
 * quantity × the right's unit cost (rights given at a card's start have no monthly rate).
 */
export function planMonthlyCosts(p: Pick<Program, "plans" | "rights">): Record<string, number> {
  const out: Record<string, number> = {};
  for (const plan of p.plans ?? []) {
    out[plan.code] = plan.rights
      .filter((r) => r.cadence === "monthly")
      .reduce((sum, r) => sum + r.quantity * (p.rights.find((x) => x.code === r.right)?.unitCost ?? 0), 0);
  }
  return out;
}

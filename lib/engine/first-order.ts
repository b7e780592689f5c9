import type { LoadedProgram } from "@/lib/program/store";
import { coded } from "@/lib/reasons/row";
import type { Batch, MemberState } from "./batch";

/**
 * 0元升级 (the program's `trial` of kind "firstOrderUpgrade"): a member who registered in the start
 * tier and pays a first order within `days` of registering moves up to `upgradeTo` at once, with
 * that tier's upgrade gifts and upgrade automations, as a threshold upgrade would. Never moves down.
 */
export function firstOrderUpgrade(b: Batch, p: LoadedProgram, m: MemberState, at: Date, date: string, source: string) {
  const rule = p.trial;
  if (rule?.kind !== "firstOrderUpgrade" || !rule.upgradeTo || m.orderCount !== 1) return;
  if (at.getTime() - m.registeredAt.getTime() > rule.days * 86_400_000) return;
  const rank = (code: string | null) => p.tiers.findIndex((t) => t.code === code);
  const to = p.tiers[rank(rule.upgradeTo)];
  if (!to || rank(to.code) <= rank(m.tierCode)) return;
  b.moveUp(m, p, to, coded("first_order_upgrade", { tier: to.name, days: rule.days }), `${source}:first-order`, at, date);
}

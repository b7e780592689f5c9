import type { LoadedProgram } from "@/lib/program/store";
import { coded, codeColumns } from "@/lib/reasons/row";
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
  const why = coded("first_order_upgrade", { tier: to.name, days: rule.days });
  b.tierRows.push({ memberId: m.memberId, fromTier: m.tierCode, toTier: to.code, direction: "up", reason: why.reason, ...codeColumns(why), source: `${source}:first-order`, changedAt: at, businessDate: date });
  m.tierCode = to.code;
  m.tierSince = at;
  m.trialUntil = null;
  m.dirty = true;
  for (const cell of p.matrix) {
    const right = p.rights.find((r) => r.code === cell.rightCode);
    if (cell.tierCode !== to.code || right?.cadence !== "upgrade") continue;
    for (let i = 0; i < cell.quantity; i++) b.issueRight(m, p, cell.rightCode, `upgrade:${m.memberId}:${to.code}:${date}:${cell.rightCode}:${i}`, at, to.code);
  }
  b.fireAutomations(m, p, "tierUpgraded", `upgraded:${to.code}:${date}`, at, date, { tier: to.code });
}

import { pointsEvent, rightIssuedEvent, rightRedeemedEvent, type DomainEvent } from "@/lib/webhooks/domain-events";
import type { Batch } from "./batch";

/**
 * The domain events of everything a batch changed, derived from the rows it is about to write (so
 * no rule has to remember to emit): members registered, tier changes (not the initial tier), points
 * rows, rights issued and redeemed, then what was emitted on the batch by hand (`b.emit`). Points
 * rows carry the member's balance after the row, worked back from the balance the batch ends with.
 * Types no endpoint of the merchant takes (as of the batch's load) are not even built: for a
 * merchant without webhooks this costs nothing (the insert filters by subscription again).
 */
export function batchDomainEvents(b: Batch): DomainEvent[] {
  const out: DomainEvent[] = [];
  const wants = (type: string) => b.webhookTypes === null || b.webhookTypes.has(type);
  if (wants("member.registered"))
    for (const m of b.members.values())
      if (m.isNew)
        out.push({
          type: "member.registered",
          memberId: m.memberId,
          occurredAt: m.registeredAt,
          data: { memberId: m.memberId, tierCode: m.tierCode, referrerId: m.referrerId, registeredAt: m.registeredAt.toISOString(), trialUntil: m.trialUntil?.toISOString() ?? null },
        });
  if (wants("member.tier_changed"))
    for (const t of b.tierRows)
      if (t.direction !== "initial")
        out.push({
          type: "member.tier_changed",
          memberId: t.memberId,
          occurredAt: t.changedAt,
          data: { memberId: t.memberId, fromTier: t.fromTier, toTier: t.toTier, direction: t.direction, reason: t.reason, changedAt: t.changedAt.toISOString(), businessDate: t.businessDate },
        });
  if (b.points.length && (wants("points.earned") || wants("points.spent"))) {
    const balance = new Map<string, number>();
    const after: number[] = new Array(b.points.length);
    for (let i = b.points.length - 1; i >= 0; i--) {
      const r = b.points[i];
      const now = balance.get(r.memberId) ?? b.members.get(r.memberId)?.pointsBalance ?? 0;
      after[i] = now;
      balance.set(r.memberId, now - r.delta);
    }
    b.points.forEach((r, i) => {
      const e = pointsEvent({ ...r, balance: after[i] });
      if (e && wants(e.type)) out.push(e);
    });
  }
  if (wants("right.issued") || wants("right.redeemed"))
    for (const r of b.rights.values()) {
      if (r.isNew) {
        if (wants("right.issued")) out.push(rightIssuedEvent(r));
      } else if (r.dirty && r.redeemedAt && wants("right.redeemed")) out.push(rightRedeemedEvent({ ...r, redeemedAt: r.redeemedAt, via: "event" }));
    }
  out.push(...b.domainEvents);
  return out;
}

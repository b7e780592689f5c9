import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rightInstances } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { lockKeys } from "@/lib/engine/load";
import type { z } from "zod";
import type { voidRightInput } from "@/lib/schemas/checkout";
import { openHoldsOf } from "./holds";

/**
 * Voids an unused right instance (a coupon given by mistake): it can no longer be held or
 * redeemed. Refused when it is used, already void, or held by an open checkout (release that
 * first). One audit row with the reason.
 */
export async function voidRight(db: Db, merchantId: string, input: z.output<typeof voidRightInput>, actor: Actor, now = new Date()) {
  return db.transaction(async (tx) => {
    await lockKeys(tx, merchantId, [`m:${input.memberId}`]);
    const [r] = await tx.select().from(rightInstances).where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.grantId, input.grantId)));
    if (!r || r.memberId !== input.memberId) throw new AppError("not_found", `right instance ${input.grantId} not found for this member`);
    if (r.redeemedAt) throw new AppError("right_unavailable", "already used", [{ path: "grantId", message: "already used" }]);
    if (r.voidedAt) return { grantId: r.grantId, voidedAt: r.voidedAt.toISOString() };
    const held = (await openHoldsOf(tx, merchantId, input.memberId, now)).filter((h) => h.grants.some((g) => g.grantId === input.grantId));
    if (held.length) throw new AppError("right_unavailable", `held by checkout ${held[0].id}`, [{ path: "grantId", message: `held by checkout ${held[0].id}: release it first` }]);
    await tx.update(rightInstances).set({ voidedAt: now }).where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.grantId, input.grantId)));
    await writeAudit(tx, actor, { merchantId, action: "member.void_right", entity: "member", entityId: input.memberId, before: { grantId: r.grantId, right: r.rightCode }, after: { grantId: r.grantId, right: r.rightCode, voided: true, reason: input.reason } });
    return { grantId: r.grantId, voidedAt: now.toISOString() };
  });
}

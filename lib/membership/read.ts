import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships } from "@/db/schema";
import { cardsOf, type Card } from "./cards";

/** A member's purchases, oldest first. */
export async function memberPurchases(db: Db, merchantId: string, memberId: string) {
  return db
    .select()
    .from(memberships)
    .where(and(eq(memberships.merchantId, merchantId), eq(memberships.memberId, memberId)))
    .orderBy(asc(memberships.purchasedAt), asc(memberships.purchaseId));
}

/** A member's cards (one per run of purchases; extensions move its `endsAt`), oldest first. */
export async function memberCards(db: Db, merchantId: string, memberId: string): Promise<Card[]> {
  return cardsOf(await memberPurchases(db, merchantId, memberId));
}

/** The cards as member reads answer them (api.md: `memberships: [{ plan, startsAt, endsAt }]`). */
export const cardsAnswer = (cards: Card[]) => cards.map((c) => ({ plan: c.plan, startsAt: c.startsAt.toISOString(), endsAt: c.endsAt.toISOString() }));

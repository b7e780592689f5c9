import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, pointsLedger, pointsLots } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * "ok" when `p` resolves; the AppError's code when it rejects with one, followed (`withPaths`) by its
 * issues' paths ("validation_failed points"); any other failure is rethrown.
 */
export async function outcome(p: Promise<unknown>, withPaths = true): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return withPaths && e.issues.length ? `${e.code} ${e.issues.map((i) => i.path).join(",")}` : e.code;
  }
}

/** A member's points balance beside the sum of their lots' remaining points and the sum of their ledger (the three agree). */
export async function pointsTotals(db: Db, merchantId: string, memberId: string) {
  const sum = (n: unknown) => sql<number>`coalesce(sum(${n}), 0)`.mapWith(Number);
  const [[m], [lots], [ledger]] = await Promise.all([
    db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, memberId))),
    db.select({ n: sum(pointsLots.remaining) }).from(pointsLots).where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, memberId))),
    db.select({ n: sum(pointsLedger.delta) }).from(pointsLedger).where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.memberId, memberId))),
  ]);
  return { balance: m.pointsBalance, lots: lots.n, ledger: ledger.n };
}

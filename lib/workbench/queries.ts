import { and, desc, eq, gte, ilike, lt, max, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, automationFirings, members } from "@/db/schema";
import type { AuditFilter } from "@/lib/schemas/workbench";
import { addDays } from "@/lib/util/dates";

/** Members per tier code now. */
export async function tierMemberCounts(db: Db, merchantId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ tier: members.tierCode, n: sql<number>`count(*)::int` })
    .from(members)
    .where(eq(members.merchantId, merchantId))
    .groupBy(members.tierCode);
  return Object.fromEntries(rows.map((r) => [r.tier, Number(r.n)]));
}

/** How often each automation fired, and when last (business date). */
export async function automationFiringCounts(db: Db, merchantId: string): Promise<Record<string, { count: number; last: string | null }>> {
  const rows = await db
    .select({ code: automationFirings.automationCode, n: sql<number>`count(*)::int`, last: max(automationFirings.firedDate) })
    .from(automationFirings)
    .where(eq(automationFirings.merchantId, merchantId))
    .groupBy(automationFirings.automationCode);
  return Object.fromEntries(rows.map((r) => [r.code, { count: Number(r.n), last: r.last ?? null }]));
}

/** The audit log, newest first, filtered by action / entity / actor (substring) and date range (UTC days). */
export async function listAudit(db: Db, merchantId: string, filter: AuditFilter, limit = 200) {
  const where: SQL[] = [eq(auditLog.merchantId, merchantId)];
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.entity) where.push(eq(auditLog.entity, filter.entity));
  if (filter.actor) where.push(ilike(auditLog.actorLabel, `%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filter.from) where.push(gte(auditLog.at, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) where.push(lt(auditLog.at, new Date(`${addDays(filter.to, 1)}T00:00:00Z`)));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at))
    .limit(limit);
  const facets = await db
    .selectDistinct({ action: auditLog.action, entity: auditLog.entity })
    .from(auditLog)
    .where(eq(auditLog.merchantId, merchantId));
  return {
    rows,
    actions: [...new Set(facets.map((f) => f.action))].sort(),
    entities: [...new Set(facets.map((f) => f.entity))].sort(),
  };
}

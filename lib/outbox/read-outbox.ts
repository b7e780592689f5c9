import { and, asc, count, desc, eq, gt, isNotNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, outbox } from "@/db/schema";
import type { OutboxPage, OutboxQuery } from "@/lib/schemas/outbox";
import { sequenceOutbox } from "./sequence";

/**
 * The outbox feed after a cursor, in the order messages were committed. Reading removes nothing;
 * the cursor is the last position returned, so polling from each `nextCursor` sees every message once.
 */
export async function readOutbox(db: Db, merchantId: string, q: OutboxQuery): Promise<OutboxPage> {
  await sequenceOutbox(db, merchantId);
  const after = Number(q.after ?? 0);
  const rows = await db
    .select({ id: outbox.id, memberId: outbox.memberId, template: outbox.template, payload: outbox.payload, seq: outbox.seq, committedAt: outbox.committedAt })
    .from(outbox)
    .where(and(eq(outbox.merchantId, merchantId), isNotNull(outbox.seq), gt(outbox.seq, after)))
    .orderBy(asc(outbox.seq))
    .limit(q.limit);
  return {
    messages: rows.map((r) => ({
      id: String(r.id),
      memberId: r.memberId,
      template: r.template,
      payload: r.payload as Record<string, unknown>,
      createdAt: r.committedAt!.toISOString(),
    })),
    nextCursor: String(rows.at(-1)?.seq ?? after),
  };
}

export interface OutboxListRow {
  id: number;
  memberId: string;
  memberName: string | null;
  template: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  committedAt: Date | null;
  /** What the frequency cap and quiet hours made of an automation's message (null: not decided, or not one). */
  status: "sent" | "held" | "capped" | null;
  heldUntil: Date | null;
}

/** The console's outbox page: newest first, 50 a page, older pages by `before` (an id). */
export async function listOutbox(db: Db, merchantId: string, o: { before?: number; limit?: number } = {}): Promise<{ rows: OutboxListRow[]; total: number; nextBefore: number | null }> {
  const limit = o.limit ?? 50;
  const rows = await db
    .select({ id: outbox.id, memberId: outbox.memberId, memberName: members.name, template: outbox.template, payload: outbox.payload, createdAt: outbox.createdAt, committedAt: outbox.committedAt, status: outbox.status, heldUntil: outbox.heldUntil })
    .from(outbox)
    .leftJoin(members, and(eq(members.merchantId, outbox.merchantId), eq(members.memberId, outbox.memberId)))
    .where(and(eq(outbox.merchantId, merchantId), o.before ? lt(outbox.id, o.before) : undefined))
    .orderBy(desc(outbox.id))
    .limit(limit + 1);
  const [{ n }] = await db.select({ n: count() }).from(outbox).where(eq(outbox.merchantId, merchantId));
  const page = rows.slice(0, limit).map((r) => ({ ...r, payload: r.payload as Record<string, unknown> }));
  return { rows: page, total: n, nextBefore: rows.length > limit ? page[page.length - 1].id : null };
}

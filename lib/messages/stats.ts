import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";

export interface MessageCounts {
  /** Went into the feed at once. */
  sent: number;
  /** Fell in the quiet hours: released at their end (`waiting` of them not yet). */
  held: number;
  waiting: number;
  /** Over the frequency cap: never sent. */
  capped: number;
  /** Not decided yet: decided when the feed is next read or fanned out to webhooks. */
  pending: number;
}

/**
 * Per automation (the code in the message's source `auto:<code>:…`), its messages timed in the 30
 * days up to `now`, by what the frequency cap and quiet hours made of them.
 */
export async function automationMessageCounts(db: Db, merchantId: string, now = new Date()): Promise<Record<string, MessageCounts>> {
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const rows = await queryRows<{ code: string; sent: number; held: number; waiting: number; capped: number; pending: number }>(
    db,
    sql`select split_part(source, ':', 2) as code,
          count(*) filter (where status = 'sent' or (status is null and seq is not null))::int as sent,
          count(*) filter (where status = 'held')::int as held,
          count(*) filter (where status = 'held' and seq is null)::int as waiting,
          count(*) filter (where status = 'capped')::int as capped,
          count(*) filter (where status is null and seq is null)::int as pending
        from outbox where merchant_id = ${merchantId} and source like 'auto:%' and created_at > ${since}::timestamptz and created_at <= ${now.toISOString()}::timestamptz
        group by 1`,
  );
  return Object.fromEntries(rows.map(({ code, ...c }) => [code, { sent: Number(c.sent), held: Number(c.held), waiting: Number(c.waiting), capped: Number(c.capped), pending: Number(c.pending) }]));
}

import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { decideMessages } from "@/lib/messages/release";

/**
 * Gives the merchant's committed, not yet sequenced outbox messages the next feed positions, in id
 * order, and stamps them with the time they were seen committed. One sequencer per merchant at a
 * time (a transaction-scoped advisory lock), so positions only grow: a message whose transaction
 * commits after a reader passed position n is sequenced after n, never behind it. That is "in the
 * order committed" as readers can observe it, with no gap to wait on and nothing for the engine's
 * write path to do. Returns how many it sequenced. `now` is the moment held messages are released at.
 */
export async function sequenceOutbox(db: Db, merchantId: string, batch = 5_000, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${merchantId}:outbox`}, 0))`);
    // Automation messages go in once decided (frequency cap, quiet hours): sent now, held until the
    // quiet hours end (then sequenced like a message committed at that moment), or capped (never).
    await decideMessages(tx, merchantId, now, batch);
    const [r] = await queryRows<{ n: number }>(
      tx,
      sql`with base as (select coalesce(max(seq), 0) as b from outbox where merchant_id = ${merchantId}),
        todo as (
          select id, row_number() over (order by id) as r from (
            select id from outbox where merchant_id = ${merchantId} and seq is null and status is distinct from 'capped'
              and (status = 'sent' or (status = 'held' and held_until <= ${now.toISOString()}::timestamptz) or (status is null and source not like 'auto:%'))
              order by id limit ${batch}
          ) x
        ), u as (
          update outbox o set seq = base.b + todo.r, committed_at = now()
          from todo, base where o.merchant_id = ${merchantId} and o.id = todo.id and o.seq is null
          returning 1
        )
        select count(*)::int as n from u`,
    );
    return r.n;
  });
}

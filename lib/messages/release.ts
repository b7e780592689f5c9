import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { programAt } from "@/lib/program/store";
import { AppError } from "@/lib/errors";
import { messagingDefault, type MessageLocale } from "@/lib/schemas/messages";
import { decideDelivery } from "./delivery";
import { renderMessage, type MessageVariables } from "./render";

const DAY_MS = 86_400_000;

/**
 * Decides the merchant's committed automation messages not decided yet (in id order): capped, held
 * until the quiet hours end, or sent, under the frequency cap and quiet hours of the program in
 * force `now`; and fills in the code of a coupon the same firing issued (given by the database at
 * its write). Runs inside the outbox sequencer's transaction, under its per-merchant lock, so each
 * message is decided once and the cap counts every decision before it.
 */
export async function decideMessages(tx: Db, merchantId: string, now: Date, batch: number): Promise<number> {
  const todo = await queryRows<{ id: string | number; member_id: string; created_at: string | Date; payload: Record<string, unknown> }>(
    tx,
    sql`select id, member_id, created_at, payload from outbox
        where merchant_id = ${merchantId} and seq is null and status is distinct from 'capped' and status is null and source like 'auto:%'
        order by id limit ${batch}`,
  );
  if (!todo.length) return 0;
  const program = await programAt(tx, merchantId, now).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "not_found") return null;
    throw e;
  });
  const rules = program?.messaging ?? messagingDefault;
  const timeZone = program?.timeZone ?? "Asia/Shanghai";
  const at = (r: { created_at: string | Date }) => new Date(r.created_at);

  // The members' messages already decided (or sent before decisions existed) that a cap window can reach.
  const earlier = new Map<string, Date[]>();
  if (rules.frequencyCap) {
    const since = new Date(Math.min(...todo.map((r) => at(r).getTime())) - rules.frequencyCap.days * DAY_MS);
    const rows = await queryRows<{ member_id: string; created_at: string | Date }>(
      tx,
      sql`select member_id, created_at from outbox
          where merchant_id = ${merchantId} and member_id in (select jsonb_array_elements_text(${JSON.stringify([...new Set(todo.map((r) => r.member_id))])}::jsonb))
            and source like 'auto:%' and created_at > ${since.toISOString()}::timestamptz
            and (status in ('sent', 'held') or (status is null and seq is not null))`,
    );
    for (const r of rows) earlier.set(r.member_id, [...(earlier.get(r.member_id) ?? []), at(r)]);
  }

  const couponSources = todo.map((r) => r.payload.couponSource).filter((s): s is string => typeof s === "string");
  const codes = new Map<string, string | null>();
  if (couponSources.length)
    for (const r of await queryRows<{ source: string; code: string | null }>(
      tx,
      sql`select source, code from right_instances where merchant_id = ${merchantId} and source in (select jsonb_array_elements_text(${JSON.stringify(couponSources)}::jsonb))`,
    ))
      codes.set(r.source, r.code);

  const decisions = [];
  for (const r of todo) {
    const d = decideDelivery({ at: at(r), now, earlier: earlier.get(r.member_id) ?? [], rules, timeZone });
    if (d.status !== "capped") earlier.set(r.member_id, [...(earlier.get(r.member_id) ?? []), at(r)]);
    decisions.push({
      id: Number(r.id),
      status: d.status,
      held_until: d.status === "held" ? d.heldUntil.toISOString() : null,
      payload: await withCouponCode(tx, merchantId, r.payload, at(r), codes),
    });
  }
  await tx.execute(sql`
    update outbox o set status = x.status, held_until = x.held_until, payload = coalesce(x.payload, o.payload)
    from jsonb_to_recordset(${JSON.stringify(decisions)}::jsonb) as x(id bigint, status text, held_until timestamptz, payload jsonb)
    where o.merchant_id = ${merchantId} and o.id = x.id`);
  return decisions.length;
}

/** The payload with the coupon's code in its variables and text (rendered again from its template), or null when it names no coupon. */
async function withCouponCode(tx: Db, merchantId: string, payload: Record<string, unknown>, at: Date, codes: Map<string, string | null>) {
  const source = payload.couponSource;
  if (typeof source !== "string") return null;
  const { couponSource: _, ...rest } = payload;
  const variables = { ...(rest.variables as MessageVariables), couponCode: codes.get(source) ?? null };
  const program = await programAt(tx, merchantId, at);
  const template = program.messaging.templates.find((t) => t.code === rest.template);
  const text = template ? renderMessage(template, rest.locale as MessageLocale, variables) : rest.text;
  return { ...rest, variables, text };
}

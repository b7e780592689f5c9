import { pipelinedTransaction, runStmt, type Db, type Stmt } from "@/db/client";
import type { SQL } from "drizzle-orm";
import { AppError, violatedConstraint } from "@/lib/errors";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { lockKeys } from "@/lib/engine/load";
import { combineWrites, insertSql } from "@/lib/engine/sql-json";
import { POINTS_LEDGER_COLUMNS, takeFromLots } from "@/lib/checkout/holds";
import { instant, lowerBalanceStmt, spendLotsStmt } from "@/lib/checkout/hold-sql";
import { openDayLogSql } from "@/lib/metrics/rollup";
import { cachedProgramVersion, loadProgramVersion } from "@/lib/program/store";
import { coded, reasonColumns } from "@/lib/reasons/row";
import type { MallOrderAnswer, mallOrderInput } from "@/lib/schemas/mall";
import { businessDate } from "@/lib/util/dates";
import { canonicalJson, sha256 } from "@/lib/util/ids";
import { domainEventsSql, pointsEvent } from "@/lib/webhooks/domain-events";
import { mallReadStmt, STOCK_CHECK, takeStockStmt, type MallItemJson, type MallOrderJson, type MallReadRow } from "./order-sql";
import { limitWindowStart, orderAnswer, orderRefusal } from "./rules";
import type { z } from "zod";

/** placeGoodsOrder's answer when the item (or the replayed order) is one the engine's batch writes: placeOrder's other path. */
export const ENGINE_ITEM = Symbol("engine item");
class EngineItem extends Error {}

const itemIssue = (message: string) => [{ path: "itemId", message }];

/** Units of the item the member ordered in its limit's window holding business date `date`. */
function orderedInWindow(ordered: MallReadRow["ordered"], item: MallItemJson, date: string) {
  const limit = item.perMemberLimit;
  if (!limit) return 0;
  const from = limitWindowStart(limit.period, date);
  return from === null ? ordered.ever : ordered.byDate.filter((d) => d.date >= from).reduce((s, d) => s + d.n, 0);
}

/**
 * The earliest business date a limit's window can start on at `now` in any time zone: 1 January of
 * the year of the UTC date a day before (a business date is never more than 14 hours from UTC's).
 */
const earliestWindowStart = (now: Date) => `${new Date(now.getTime() - 86_400_000).toISOString().slice(0, 4)}-01-01`;

/**
 * placeOrder of a goods item (lib/mall/orders.ts says what it does) in two round trips on
 * PostgreSQL, as a checkout hold: BEGIN, the member's lock and one read statement together; then all
 * the writes (the stock taken among them) as one statement with COMMIT. The same refusals in the
 * same order, the same rows, reason codes and domain events as the statement-by-statement path.
 * An item that issues rights or a membership card (and the replay of a card's order) → ENGINE_ITEM,
 * nothing changed.
 */
export async function placeGoodsOrder(
  db: Db,
  merchantId: string,
  memberId: string,
  input: z.output<typeof mallOrderInput>,
  opts: { actor?: Actor | null; now: Date },
): Promise<{ order: MallOrderAnswer; created: boolean } | typeof ENGINE_ITEM> {
  const now = opts.now;
  const hash = sha256(canonicalJson(input));
  try {
    return await pipelinedTransaction<{ order: MallOrderAnswer; created: boolean }>(db, async (p) => {
      const [, [{ r }]] = await Promise.all([
        lockKeys(p, merchantId, [`m:${memberId}`]),
        runStmt<{ r: MallReadRow }>(p, mallReadStmt(merchantId, memberId, now, input.id, input.itemId, earliestWindowStart(now))),
      ]);
      const prior = r.prior;
      if (prior) {
        if (prior.bodyHash !== hash || prior.memberId !== memberId) throw new AppError("conflict", `mall order ${input.id} was already placed with a different body`, [{ path: "id", message: "already used for another order" }]);
        // A card's order answers its card: the other path reads it.
        if (prior.kind === "membership") throw new EngineItem();
        return { result: { order: orderAnswer(prior), created: false }, last: null };
      }
      if (!r.member) throw new AppError("not_found", `member ${memberId} not found`);
      if (r.version === null) throw new AppError("not_found", "this merchant has no program yet");
      const program = cachedProgramVersion(merchantId, r.version) ?? (await loadProgramVersion(p.db(), merchantId, r.version));
      const item = r.item;
      if (!item) throw new AppError("validation_failed", `no mall item "${input.itemId}"`, itemIssue("no such item in the mall"));
      if (item.kind !== "goods") throw new EngineItem();

      const date = businessDate(now, program.timeZone);
      const refusal = orderRefusal(
        { ...item, startsAt: item.startsAt === null ? null : instant(item.startsAt), endsAt: item.endsAt === null ? null : instant(item.endsAt) },
        { tierCode: r.member.tierCode, now, quantity: input.quantity, orderedInWindow: orderedInWindow(r.ordered, item, date), availablePoints: r.member.balance - r.held.points },
      );
      if (refusal) throw new AppError(refusal.code, refusal.message, [{ path: refusal.code === "insufficient_points" || refusal.code === "limit_reached" || refusal.code === "out_of_stock" ? "quantity" : "itemId", message: refusal.message }]);

      const points = item.points * input.quantity;
      const order: MallOrderJson = { orderId: input.id, memberId, itemId: item.itemId, kind: item.kind, quantity: input.quantity, points, cash: item.cash * input.quantity, status: "placed", grantIds: [], bodyHash: hash };
      const parts: (Stmt | SQL | null)[] = [
        item.stock === null ? null : takeStockStmt(merchantId, item.itemId, input.quantity),
        insertSql("mall_orders", merchantId, MALL_ORDER_COLUMNS, [
          { ...order, unitCost: item.unitCost, businessDate: date, placedAt: now, placedBy: opts.actor?.kind === "user" ? opts.actor.email : null },
        ]),
      ];
      if (points > 0) {
        const lotTakes = takeFromLots(r.lots, points);
        const source = `mall:${input.id}`;
        parts.push(
          spendLotsStmt(merchantId, memberId, lotTakes),
          insertSql("mall_order_lots", merchantId, MALL_ORDER_LOT_COLUMNS, lotTakes.map((t) => ({ orderId: input.id, memberId, ...t }))),
          insertSql("points_ledger", merchantId, POINTS_LEDGER_COLUMNS, [
            {
              memberId,
              delta: -points,
              kind: "spend",
              source,
              rule: "mall",
              ...reasonColumns(coded("mall_order", { quantity: input.quantity, item: { zh: item.name, en: item.nameEn || item.name } })),
              programVersion: program.version,
              occurredAt: now,
              businessDate: date,
            },
          ]),
          lowerBalanceStmt(merchantId, memberId, points, now),
        );
        const spent = pointsEvent({ memberId, delta: -points, debtDelta: 0, kind: "spend", rule: "mall", source, reason: `points mall: ${input.quantity} × ${item.name}`, occurredAt: now, businessDate: date })!;
        // The balance after this spend (the combined write's statements all see the snapshot before it).
        parts.push(domainEventsSql(merchantId, [{ ...spent, data: { ...spent.data, balance: r.member.balance - points } }]));
      }
      parts.push(openDayLogSql(merchantId, [`m:${memberId}`]));
      if (opts.actor?.kind === "user")
        await writeAudit(p.db(), opts.actor, { merchantId, action: "mall.order_place", entity: "member", entityId: memberId, after: { order: input.id, item: item.itemId, quantity: input.quantity, points } });
      return { result: { order: orderAnswer(order), created: true }, last: combineWrites(parts) };
    });
  } catch (e) {
    if (e instanceof EngineItem) return ENGINE_ITEM;
    // Another member's order took the last units since the item was read: nothing was written.
    if (violatedConstraint(e) === STOCK_CHECK) throw new AppError("out_of_stock", "out of stock", [{ path: "quantity", message: "out of stock" }]);
    throw e;
  }
}

const MALL_ORDER_COLUMNS = {
  orderId: "text",
  memberId: "text",
  itemId: "text",
  kind: "text",
  quantity: "integer",
  points: "bigint",
  cash: "bigint",
  unitCost: "bigint",
  status: "text",
  grantIds: "jsonb",
  bodyHash: "text",
  businessDate: "date",
  placedAt: "timestamptz",
  placedBy: "text",
};
const MALL_ORDER_LOT_COLUMNS = { orderId: "text", memberId: "text", lotId: "bigint", points: "bigint" };

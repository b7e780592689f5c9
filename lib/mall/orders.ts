import { and, eq, gte, inArray, isNotNull, isNull, like, sql } from "drizzle-orm";
import { coded, reasonColumns } from "@/lib/reasons/row";
import type { Db } from "@/db/client";
import { mallItems, mallOrderLots, mallOrders, members, pointsLedger, pointsLots, rightInstances } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { Batch } from "@/lib/engine/batch";
import { loadMembers, lockKeys } from "@/lib/engine/load";
import { writeBatch } from "@/lib/engine/write";
import { loadMemberships, membershipWrites, purchaseMembership, refundMembership } from "@/lib/engine/membership";
import { cardsOf, type Purchase } from "@/lib/membership/cards";
import { heldTotals, takeUnheldLots } from "@/lib/checkout/holds";
import { openDayLogSql } from "@/lib/metrics/rollup";
import { currentProgram } from "@/lib/program/store";
import { getMemberRowOrThrow } from "@/lib/members/read-member";
import type { MallOrderAnswer, mallOrderInput, mallOrderStatusInput } from "@/lib/schemas/mall";
import { businessDate } from "@/lib/util/dates";
import { canonicalJson, sha256 } from "@/lib/util/ids";
import { memberships } from "@/db/schema";
import { orderedInWindow, findItem } from "./items";
import { orderAnswer, orderRefusal } from "./rules";
import type { z } from "zod";
import { emitDomainEvents, pointsEvent } from "@/lib/webhooks/domain-events";
import { ENGINE_ITEM, placeGoodsOrder } from "./goods-order";

type OrderRow = typeof mallOrders.$inferSelect;


/** The purchase id of a membership item's order (the memberships table's key). */
export const mallPurchaseId = (orderId: string) => `mall:${orderId}`;
const likeEscape = (x: string) => x.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The card a purchase belongs to, as an order answers it. */
function cardAnswer(purchases: Purchase[], purchaseId: string): MallOrderAnswer["membership"] {
  const card = cardsOf(purchases).find((c) => c.purchaseIds.includes(purchaseId));
  return card ? { plan: card.plan, startsAt: card.startsAt.toISOString(), endsAt: card.endsAt.toISOString() } : undefined;
}

/** A membership order's answer with its card (when the card still runs on it). */
async function withCard(db: Db, merchantId: string, answer: MallOrderAnswer, o: OrderRow): Promise<MallOrderAnswer> {
  if (o.kind !== "membership") return answer;
  const rows = await db.select().from(memberships).where(and(eq(memberships.merchantId, merchantId), eq(memberships.memberId, o.memberId)));
  const card = cardAnswer(rows, mallPurchaseId(o.orderId));
  return card ? { ...answer, membership: card } : answer;
}

async function findOrder(db: Db, merchantId: string, orderId: string) {
  const [o] = await db.select().from(mallOrders).where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.orderId, orderId)));
  return o;
}

const itemIssue = (message: string) => [{ path: "itemId", message }];

/**
 * POST /api/v1/members/{memberId}/mall-orders. One transaction under the member's lock (the lock
 * engine batches and checkout holds take): the member's limit is counted under it, so one member's
 * concurrent orders cannot both pass it. Stock never goes below zero whatever the number of
 * members ordering at once (a check on mall_items, and a conditional update on the engine path).
 * Points come from lots oldest-expiring first, never from points an open checkout hold set aside.
 * `id` is the idempotency key: the same body again answers the same order (created false); another
 * body → 409. A refusal changes nothing. A goods item's order takes two round trips
 * (placeGoodsOrder, lib/mall/goods-order.ts); an item issuing rights or a membership card, and the
 * replay of a card's order, go through the engine's batch (placeOrderWithEngine), after that path
 * has read the item and rolled back.
 */
export async function placeOrder(
  db: Db,
  merchantId: string,
  memberId: string,
  input: z.output<typeof mallOrderInput>,
  opts: { actor?: Actor | null; now?: Date } = {},
): Promise<{ order: MallOrderAnswer; created: boolean }> {
  const now = opts.now ?? new Date();
  const fast = await placeGoodsOrder(db, merchantId, memberId, input, { actor: opts.actor, now });
  return fast === ENGINE_ITEM ? placeOrderWithEngine(db, merchantId, memberId, input, { actor: opts.actor, now }) : fast;
}

/**
 * The order of an item that issues rights or starts a membership card (the engine's batch writes
 * those), or the replay of such an order: the query builder's transaction, statement by statement.
 */
async function placeOrderWithEngine(
  db: Db,
  merchantId: string,
  memberId: string,
  input: z.output<typeof mallOrderInput>,
  opts: { actor?: Actor | null; now: Date },
): Promise<{ order: MallOrderAnswer; created: boolean }> {
  const now = opts.now;
  const hash = sha256(canonicalJson(input));
  return db.transaction(async (tx) => {
    await lockKeys(tx, merchantId, [`m:${memberId}`]);
    const prior = await findOrder(tx, merchantId, input.id);
    if (prior) {
      if (prior.bodyHash !== hash || prior.memberId !== memberId) throw new AppError("conflict", `mall order ${input.id} was already placed with a different body`, [{ path: "id", message: "already used for another order" }]);
      return { order: await withCard(tx, merchantId, orderAnswer(prior), prior), created: false };
    }
    const m = await getMemberRowOrThrow(tx, merchantId, memberId);
    const program = await currentProgram(tx, merchantId);
    const item = await findItem(tx, merchantId, input.itemId);
    if (!item) throw new AppError("validation_failed", `no mall item "${input.itemId}"`, itemIssue("no such item in the mall"));
    const plan = item.kind === "membership" ? program.plans.find((x) => x.code === item.planCode) : undefined;
    if (item.kind === "membership" && !plan)
      throw new AppError("validation_failed", `the plan "${item.planCode}" of item ${item.itemId} is no longer in the program`, itemIssue(`its plan "${item.planCode}" is no longer in the program`));
    if (item.kind === "membership" && input.quantity !== 1)
      throw new AppError("validation_failed", "a membership item is ordered one card at a time", [{ path: "quantity", message: "must be 1 for a membership card" }]);
    if (item.kind === "right" && !program.rights.some((r) => r.code === item.rightCode))
      throw new AppError("validation_failed", `the right "${item.rightCode}" of item ${item.itemId} is no longer in the program`, itemIssue(`its right "${item.rightCode}" is no longer in the program`));

    const date = businessDate(now, program.timeZone);
    const held = await heldTotals(tx, merchantId, memberId, now);
    const refusal = orderRefusal(item, { tierCode: m.tierCode, now, quantity: input.quantity, orderedInWindow: await orderedInWindow(tx, merchantId, memberId, item, date), availablePoints: m.pointsBalance - held.points });
    if (refusal) throw new AppError(refusal.code, refusal.message, [{ path: refusal.code === "insufficient_points" || refusal.code === "limit_reached" || refusal.code === "out_of_stock" ? "quantity" : "itemId", message: refusal.message }]);

    if (item.stock !== null) {
      const taken = await tx
        .update(mallItems)
        .set({ stock: sql`${mallItems.stock} - ${input.quantity}` })
        .where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, item.itemId), isNotNull(mallItems.stock), gte(mallItems.stock, input.quantity)))
        .returning({ stock: mallItems.stock });
      // Another member's order took the last units since the item was read.
      if (taken.length === 0) throw new AppError("out_of_stock", "out of stock", [{ path: "quantity", message: "out of stock" }]);
    }

    const points = item.points * input.quantity;
    const lotTakes = points > 0 ? await takeUnheldLots(tx, merchantId, memberId, points, now) : [];
    for (const t of lotTakes)
      await tx
        .update(pointsLots)
        .set({ remaining: sql`${pointsLots.remaining} - ${t.points}` })
        .where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, memberId), eq(pointsLots.id, t.lotId)));

    // Rights issued at once, by the engine's own issueRight (expiry, tier cost as the engine does).
    let grantIds: string[] = [];
    if (item.kind === "right" && item.rightCode) {
      const b = new Batch(merchantId);
      await loadMembers(tx, b, [memberId]);
      const bm = b.memberOrThrow(memberId);
      for (let i = 0; i < input.quantity; i++) b.issueRight(bm, program, item.rightCode, `mall:${input.id}:${i}`, now, null);
      grantIds = [...b.rights.values()].map((r) => r.grantId);
      await writeBatch(tx, b, []);
    }
    // A membership item starts or extends the member's card, with its plan's rights (lib/engine/membership.ts).
    let card: MallOrderAnswer["membership"];
    if (plan) {
      const b = new Batch(merchantId);
      await loadMembers(tx, b, [memberId]);
      await loadMemberships(tx, b, [memberId], [mallPurchaseId(input.id)]);
      purchaseMembership(b, program, b.memberOrThrow(memberId), { purchaseId: mallPurchaseId(input.id), plan: plan.code, amount: item.cash, points, source: `mall:${input.id}`, at: now, date }, { purchaseId: "id", plan: "itemId" });
      card = cardAnswer(b.membership.of(memberId), mallPurchaseId(input.id));
      await writeBatch(tx, b, [], membershipWrites(b));
    }

    if (points > 0) {
      await tx.insert(mallOrderLots).values(lotTakes.map((t) => ({ merchantId, orderId: input.id, memberId, lotId: t.lotId, points: t.points })));
      await tx.insert(pointsLedger).values({
        merchantId,
        memberId,
        delta: -points,
        kind: "spend",
        source: `mall:${input.id}`,
        rule: "mall",
        ...reasonColumns(coded("mall_order", { quantity: input.quantity, item: { zh: item.name, en: item.nameEn || item.name } })),
        programVersion: program.version,
        occurredAt: now,
        businessDate: date,
      });
      await tx
        .update(members)
        .set({ pointsBalance: sql`${members.pointsBalance} - ${points}`, updatedAt: now })
        .where(and(eq(members.merchantId, merchantId), eq(members.memberId, memberId)));
      await emitDomainEvents(tx, merchantId, [pointsEvent({ memberId, delta: -points, debtDelta: 0, kind: "spend", rule: "mall", source: `mall:${input.id}`, reason: `points mall: ${input.quantity} × ${item.name}`, occurredAt: now, businessDate: date })!], { withBalance: true });
    }

    const [o] = await tx
      .insert(mallOrders)
      .values({
        merchantId,
        orderId: input.id,
        memberId,
        itemId: item.itemId,
        kind: item.kind,
        quantity: input.quantity,
        points,
        cash: item.cash * input.quantity,
        unitCost: item.unitCost,
        status: "placed",
        grantIds,
        bodyHash: hash,
        businessDate: date,
        placedAt: now,
        placedBy: opts.actor?.kind === "user" ? opts.actor.email : null,
      })
      .returning();
    await tx.execute(openDayLogSql(merchantId, [`m:${memberId}`]));
    if (opts.actor?.kind === "user")
      await writeAudit(tx, opts.actor, { merchantId, action: "mall.order_place", entity: "member", entityId: memberId, after: { order: input.id, item: item.itemId, quantity: input.quantity, points } });
    return { order: { ...orderAnswer(o), ...(card ? { membership: card } : {}) }, created: true };
  });
}

/**
 * POST /api/v1/mall-orders/{id}/cancel: points back to the lots they came from (a lot that has
 * expired since keeps nothing: those points are not returned, and the ledger row says so), stock
 * back, the rights it issued voided; a right already used → 409 conflict, nothing changed.
 * Idempotent.
 */
export async function cancelOrder(db: Db, merchantId: string, orderId: string, opts: { actor?: Actor | null; now?: Date } = {}): Promise<MallOrderAnswer> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const first = await findOrder(tx, merchantId, orderId);
    if (!first) throw new AppError("not_found", `mall order ${orderId} not found`);
    await lockKeys(tx, merchantId, [`m:${first.memberId}`]);
    const o = (await findOrder(tx, merchantId, orderId))!;
    if (o.status === "cancelled") return orderAnswer(o);

    if (o.grantIds.length) {
      const rights = await tx.select().from(rightInstances).where(and(eq(rightInstances.merchantId, merchantId), inArray(rightInstances.grantId, o.grantIds)));
      const used = rights.filter((r) => r.redeemedAt);
      if (used.length) throw new AppError("conflict", `the order's right ${used.map((r) => r.code).join(", ")} was already used`, [{ path: "id", message: "a right it issued was already used" }]);
      await tx
        .update(rightInstances)
        .set({ voidedAt: now })
        .where(and(eq(rightInstances.merchantId, merchantId), inArray(rightInstances.grantId, o.grantIds), isNull(rightInstances.redeemedAt), isNull(rightInstances.voidedAt)));
    }

    const program = await currentProgram(tx, merchantId);
    const date = businessDate(now, program.timeZone);
    // A membership card bought here ends: its months are removed and its unused rights voided (a used one → conflict).
    if (o.kind === "membership") {
      const purchaseId = mallPurchaseId(orderId);
      const [used] = await tx
        .select({ code: rightInstances.code })
        .from(rightInstances)
        .where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, o.memberId), like(rightInstances.source, `membership:${likeEscape(purchaseId)}:%`), isNotNull(rightInstances.redeemedAt)))
        .limit(1);
      if (used) throw new AppError("conflict", `the card's right ${used.code} was already used`, [{ path: "id", message: "a right its card issued was already used" }]);
      const b = new Batch(merchantId);
      await loadMemberships(tx, b, [o.memberId], [purchaseId]);
      if (b.membership.byPurchase.get(purchaseId)?.refundedAt === null) {
        refundMembership(b, program, o.memberId, purchaseId, now, date, "id");
        await writeBatch(tx, b, [], membershipWrites(b));
      }
    }
    if (o.points > 0) {
      const taken = await tx
        .select({ lotId: mallOrderLots.lotId, points: mallOrderLots.points, expiresAt: pointsLots.expiresAt })
        .from(mallOrderLots)
        .innerJoin(pointsLots, and(eq(pointsLots.merchantId, mallOrderLots.merchantId), eq(pointsLots.memberId, mallOrderLots.memberId), eq(pointsLots.id, mallOrderLots.lotId)))
        .where(and(eq(mallOrderLots.merchantId, merchantId), eq(mallOrderLots.orderId, orderId)));
      const back = taken.filter((t) => t.expiresAt > now);
      for (const t of back)
        await tx
          .update(pointsLots)
          .set({ remaining: sql`${pointsLots.remaining} + ${t.points}` })
          .where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, o.memberId), eq(pointsLots.id, t.lotId)));
      const returned = back.reduce((s, t) => s + t.points, 0);
      const lost = o.points - returned;
      await tx.insert(pointsLedger).values({
        merchantId,
        memberId: o.memberId,
        delta: returned,
        kind: "spend",
        source: `mall-cancel:${orderId}`,
        rule: "mall",
        ...reasonColumns(coded("mall_cancel", { orderId, lost })),
        programVersion: program.version,
        occurredAt: now,
        businessDate: date,
      });
      if (returned) {
        await tx
          .update(members)
          .set({ pointsBalance: sql`${members.pointsBalance} + ${returned}`, updatedAt: now })
          .where(and(eq(members.merchantId, merchantId), eq(members.memberId, o.memberId)));
        await emitDomainEvents(tx, merchantId, [pointsEvent({ memberId: o.memberId, delta: returned, debtDelta: 0, kind: "spend", rule: "mall", source: `mall-cancel:${orderId}`, reason: `points mall: order ${orderId} cancelled`, occurredAt: now, businessDate: date })!], { withBalance: true });
      }
    }

    await tx
      .update(mallItems)
      .set({ stock: sql`${mallItems.stock} + ${o.quantity}` })
      .where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, o.itemId), isNotNull(mallItems.stock)));
    const [closed] = await tx
      .update(mallOrders)
      .set({ status: "cancelled", cancelledAt: now, cancelledDate: date })
      .where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.orderId, orderId)))
      .returning();
    await tx.execute(openDayLogSql(merchantId, [`m:${o.memberId}`]));
    if (opts.actor) await writeAudit(tx, opts.actor, { merchantId, action: "mall.order_cancel", entity: "member", entityId: o.memberId, before: { order: orderId, status: o.status }, after: { order: orderId, status: "cancelled" } });
    return orderAnswer(closed);
  });
}

/** Fulfilment of a goods order: placed → shipped or picked up, with a note; audited. */
export async function setOrderStatus(db: Db, merchantId: string, input: z.output<typeof mallOrderStatusInput>, actor: Actor, now = new Date()) {
  return db.transaction(async (tx) => {
    const [o] = await tx.select().from(mallOrders).where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.orderId, input.orderId))).for("update");
    if (!o) throw new AppError("not_found", `mall order ${input.orderId} not found`);
    if (o.kind !== "goods") throw new AppError("validation_failed", "only goods orders are fulfilled", [{ path: "status", message: "this order issued a right at once: nothing to ship" }]);
    if (o.status !== "placed") throw new AppError("conflict", `the order is already ${o.status}`, [{ path: "status", message: `already ${o.status}` }]);
    const [saved] = await tx
      .update(mallOrders)
      .set({ status: input.status, note: input.note || null, fulfilledAt: now })
      .where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.orderId, input.orderId)))
      .returning();
    await writeAudit(tx, actor, { merchantId, action: "mall.order_fulfil", entity: "mall_order", entityId: input.orderId, before: { status: o.status }, after: { status: input.status, note: input.note } });
    return orderAnswer(saved);
  });
}

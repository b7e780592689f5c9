import { and, asc, eq, gte, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mallItems, mallOrders } from "@/db/schema";
import { AppError, validationError, type Issue } from "@/lib/errors";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { codeFromName } from "@/lib/program/codes";
import { currentProgram, type LoadedProgram } from "@/lib/program/store";
import { getMemberRowOrThrow } from "@/lib/members/read-member";
import { heldTotals } from "@/lib/checkout/holds";
import { mallItemInput, mallItemsImport, type MallItem, type MallItemAnswer } from "@/lib/schemas/mall";
import { businessDate } from "@/lib/util/dates";
import { limitWindowStart, orderRefusal, type MallItemRow } from "./rules";

/** The item as the API answers it. */
export function itemAnswer(r: MallItemRow): MallItemAnswer {
  return {
    itemId: r.itemId,
    name: r.name,
    nameEn: r.nameEn,
    kind: r.kind,
    right: r.rightCode,
    plan: r.planCode,
    points: r.points,
    cash: r.cash,
    unitCost: r.unitCost,
    stock: r.stock,
    perMemberLimit: r.perMemberLimit ?? null,
    tiers: r.tiers ?? null,
    startsAt: r.startsAt?.toISOString() ?? null,
    endsAt: r.endsAt?.toISOString() ?? null,
    description: r.description,
    imageUrl: r.imageUrl,
    sortOrder: r.sortOrder,
    active: r.active,
  };
}

/** What the program must have for the item: its right, its tiers. Field-level issues, empty when fine. */
export function programIssues(program: LoadedProgram, item: Pick<MallItem, "right" | "tiers"> & { plan?: string | null }, prefix = ""): Issue[] {
  const issues: Issue[] = [];
  if (item.right && !program.rights.some((r) => r.code === item.right)) issues.push({ path: `${prefix}right`, message: `no right "${item.right}" in the program` });
  if (item.plan && !program.plans.some((pl) => pl.code === item.plan)) issues.push({ path: `${prefix}plan`, message: `no paid-membership plan "${item.plan}" in the program` });
  (item.tiers ?? []).forEach((t, i) => {
    if (!program.tiers.some((x) => x.code === t)) issues.push({ path: `${prefix}tiers.${i}`, message: `no tier "${t}" in the program` });
  });
  return issues;
}

const toRow = (merchantId: string, v: MallItem, now: Date) => ({
  merchantId,
  itemId: v.itemId,
  name: v.name,
  nameEn: v.nameEn,
  kind: v.kind,
  rightCode: v.right ?? null,
  planCode: v.plan ?? null,
  points: v.points,
  cash: v.cash,
  unitCost: v.unitCost,
  stock: v.stock,
  perMemberLimit: v.perMemberLimit ?? null,
  tiers: v.tiers && v.tiers.length ? v.tiers : null,
  startsAt: v.startsAt ? new Date(v.startsAt) : null,
  endsAt: v.endsAt ? new Date(v.endsAt) : null,
  description: v.description || null,
  imageUrl: v.imageUrl || null,
  sortOrder: v.sortOrder,
  active: v.active,
  updatedAt: now,
});

export async function findItem(db: Db, merchantId: string, itemId: string) {
  const [r] = await db.select().from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, itemId)));
  return r;
}

export async function listItemRows(db: Db, merchantId: string, opts: { activeOnly?: boolean } = {}) {
  return db
    .select()
    .from(mallItems)
    .where(and(eq(mallItems.merchantId, merchantId), opts.activeOnly ? eq(mallItems.active, true) : undefined))
    .orderBy(asc(mallItems.sortOrder), asc(mallItems.itemId));
}

function parseItemOrThrow(input: unknown) {
  const parsed = mallItemInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/**
 * Creates or replaces one item (`mode` says which is expected: create refuses an existing id,
 * update a missing one), with an audit row showing the stock before and after.
 */
export async function saveItem(db: Db, merchantId: string, input: unknown, actor: Actor | null, mode: "create" | "update" | "upsert", now = new Date()) {
  const parsed = parseItemOrThrow(input);
  return db.transaction(async (tx) => {
    let v = parsed;
    if (!v.itemId) {
      if (mode === "update") throw new AppError("validation_failed", "itemId: required to update an item", [{ path: "itemId", message: "required to update an item" }]);
      // A new item without an id: one from its name, unique among this merchant's items.
      const ids = await tx.select({ id: mallItems.itemId }).from(mallItems).where(eq(mallItems.merchantId, merchantId));
      v = { ...v, itemId: codeFromName({ zh: v.name, en: v.nameEn }, new Set(ids.map((r) => r.id)), "item") };
    }
    const program = await currentProgram(tx, merchantId);
    const issues = programIssues(program, v);
    if (issues.length) throw new AppError("validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
    // Lock the row (if any) so an order's stock update and this edit do not interleave.
    const [before] = await tx.select().from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, v.itemId))).for("update");
    if (mode === "create" && before) throw new AppError("conflict", `item ${v.itemId} exists`, [{ path: "itemId", message: "already used by another item" }]);
    if (mode === "update" && !before) throw new AppError("not_found", `item ${v.itemId} not found`);
    const row = toRow(merchantId, v, now);
    const [saved] = before
      ? await tx.update(mallItems).set(row).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, v.itemId))).returning()
      : await tx.insert(mallItems).values({ ...row, createdAt: now }).returning();
    await writeAudit(tx, actor, {
      merchantId,
      action: before ? "mall.item_update" : "mall.item_create",
      entity: "mall_item",
      entityId: v.itemId,
      before: before ? itemAnswer(before) : undefined,
      after: itemAnswer(saved),
    });
    return itemAnswer(saved);
  });
}

/**
 * Removes an item that was never ordered; an item with orders is deactivated instead (its orders
 * keep pointing at it). Audited.
 */
export async function deleteItem(db: Db, merchantId: string, itemId: string, actor: Actor | null) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, itemId))).for("update");
    if (!before) throw new AppError("not_found", `item ${itemId} not found`);
    const [ordered] = await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(mallOrders).where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.itemId, itemId)));
    if (ordered.n > 0) {
      await tx.update(mallItems).set({ active: false, updatedAt: new Date() }).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, itemId)));
      await writeAudit(tx, actor, { merchantId, action: "mall.item_deactivate", entity: "mall_item", entityId: itemId, before: itemAnswer(before), after: { active: false } });
      return { itemId, deleted: false, active: false };
    }
    await tx.delete(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, itemId)));
    await writeAudit(tx, actor, { merchantId, action: "mall.item_delete", entity: "mall_item", entityId: itemId, before: itemAnswer(before) });
    return { itemId, deleted: true, active: false };
  });
}

/** JSON export of every item, in the import's shape. */
export async function exportItems(db: Db, merchantId: string) {
  const rows = await listItemRows(db, merchantId);
  return {
    items: rows.map((r) => {
      const a = itemAnswer(r);
      return { ...a, right: a.right ?? undefined, plan: a.plan ?? undefined };
    }),
  };
}

/** JSON import: every item validated first (issues under `items.<i>`), then all saved at once (created or replaced). */
export async function importItems(db: Db, merchantId: string, input: unknown, actor: Actor | null) {
  const parsed = mallItemsImport.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const items = parsed.data.items;
  const program = await currentProgram(db, merchantId);
  const issues = items.flatMap((it, i) => programIssues(program, it, `items.${i}.`));
  items.forEach((it, i) => {
    if (items.findIndex((x) => x.itemId === it.itemId) !== i) issues.push({ path: `items.${i}.itemId`, message: "listed twice" });
  });
  if (issues.length) throw new AppError("validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  return db.transaction(async (tx) => {
    for (const it of items) await saveItem(tx, merchantId, it, actor, "upsert");
    return { imported: items.length };
  });
}

/** Quantity of an item a member ordered (not cancelled) in the limit's window holding `date`. */
export async function orderedInWindow(db: Db, merchantId: string, memberId: string, item: MallItemRow, date: string) {
  const limit = item.perMemberLimit;
  if (!limit) return 0;
  const from = limitWindowStart(limit.period, date);
  const [r] = await db
    .select({ n: sql<number>`coalesce(sum(${mallOrders.quantity}), 0)`.mapWith(Number) })
    .from(mallOrders)
    .where(
      and(
        eq(mallOrders.merchantId, merchantId),
        eq(mallOrders.memberId, memberId),
        eq(mallOrders.itemId, item.itemId),
        ne(mallOrders.status, "cancelled"),
        from ? gte(mallOrders.businessDate, from) : undefined,
      ),
    );
  return r.n;
}

/** GET /api/v1/mall/items?memberId=: active items; with a member, whether each can be ordered (one unit) and why not. */
export async function listItemsFor(db: Db, merchantId: string, memberId: string | undefined, now = new Date()): Promise<{ items: MallItemAnswer[] }> {
  const rows = await listItemRows(db, merchantId, { activeOnly: true });
  if (!memberId) return { items: rows.map(itemAnswer) };
  const m = await getMemberRowOrThrow(db, merchantId, memberId);
  const program = await currentProgram(db, merchantId);
  const held = await heldTotals(db, merchantId, memberId, now);
  const date = businessDate(now, program.timeZone);
  const items = await Promise.all(
    rows.map(async (r) => {
      const refusal = orderRefusal(r, { tierCode: m.tierCode, now, quantity: 1, orderedInWindow: await orderedInWindow(db, merchantId, memberId, r, date), availablePoints: m.pointsBalance - held.points });
      const broken = (r.rightCode !== null && !program.rights.some((x) => x.code === r.rightCode)) || (r.planCode !== null && !program.plans.some((x) => x.code === r.planCode));
      return { ...itemAnswer(r), eligible: !refusal && !broken, ...(refusal ? { reason: refusal.code } : broken ? { reason: "not_eligible" as const } : {}) };
    }),
  );
  return { items };
}

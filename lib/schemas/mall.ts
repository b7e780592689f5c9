import { z } from "zod";
import { safeText } from "./text";

/** Codes as the program's: lowercase letters, digits, _ or -, starting with a letter. */
const code = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, "lowercase letters, digits, _ or -, starting with a letter (max 40)");
const id = safeText().trim().min(1).max(128);
const MAX_POINTS = 100_000_000;
const MAX_FEN = 100_000_000;
/** At most this many units in one order. */
export const MAX_QUANTITY = 99;

const instant = z.iso.datetime({ offset: true, message: "an ISO 8601 time with its offset" });

export const perMemberLimit = z.object({
  count: z.number().int("must be a whole number").min(1, "at least 1").max(10_000),
  period: z.enum(["day", "month", "year", "ever"]),
});

/** A mall item as operators and scripts write it (api.md, Points mall). */
export const mallItemInput = z
  .object({
    /** Optional when creating: made from the name's pinyin, unique among the merchant's items. */
    itemId: z.union([code, z.literal("")]).default(""),
    name: safeText().trim().min(1, "enter a name").max(60),
    /** Optional: the Chinese name is used. */
    nameEn: safeText().trim().max(60).default(""),
    kind: z.enum(["goods", "right", "membership"]),
    right: code.nullish(),
    plan: code.nullish(),
    points: z.number().int("must be a whole number").nonnegative("must not be negative").max(MAX_POINTS),
    cash: z.number().int("must be a whole number of fen").nonnegative("must not be negative").max(MAX_FEN).default(0),
    unitCost: z.number().int("must be a whole number of fen").nonnegative("must not be negative").max(MAX_FEN).default(0),
    stock: z.number().int("must be a whole number").nonnegative("must not be negative").max(100_000_000).nullable().default(null),
    perMemberLimit: perMemberLimit.nullish(),
    tiers: z.array(code).max(20).nullish(),
    startsAt: instant.nullish(),
    endsAt: instant.nullish(),
    description: safeText().trim().max(500).nullish(),
    imageUrl: z.url({ protocol: /^https?$/, message: "an http(s) URL" }).max(500).nullish(),
    sortOrder: z.number().int().min(-1_000_000).max(1_000_000).default(0),
    active: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.points === 0 && v.cash === 0) ctx.addIssue({ code: "custom", path: ["points"], message: "an item costs points, cash or both" });
    if (v.kind === "right" && !v.right) ctx.addIssue({ code: "custom", path: ["right"], message: "name the right this item issues" });
    if (v.kind !== "right" && v.right) ctx.addIssue({ code: "custom", path: ["right"], message: "only a right item issues a right" });
    if (v.kind === "membership" && !v.plan) ctx.addIssue({ code: "custom", path: ["plan"], message: "name the paid-membership plan this item starts" });
    if (v.kind !== "membership" && v.plan) ctx.addIssue({ code: "custom", path: ["plan"], message: "only a membership item starts a plan" });
    if (v.startsAt && v.endsAt && new Date(v.endsAt) <= new Date(v.startsAt)) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  })
  .transform((v) => ({ ...v, nameEn: v.nameEn || v.name }));
export type MallItemInput = z.input<typeof mallItemInput>;
export type MallItem = z.output<typeof mallItemInput>;

/** JSON import of items: the export's shape. */
export const mallItemsImport = z.object({ items: z.array(mallItemInput).max(500, "at most 500 items") });

/** POST /api/v1/members/{memberId}/mall-orders: the shop has collected the cash part. */
export const mallOrderInput = z.object({
  id,
  itemId: code,
  quantity: z.number().int("must be a whole number").min(1, "at least 1").max(MAX_QUANTITY, `at most ${MAX_QUANTITY} per order`).default(1),
});
export type MallOrderInput = z.input<typeof mallOrderInput>;

/** The console marks a goods order shipped or picked up, with a note (audited). */
export const mallOrderStatusInput = z.object({
  orderId: id,
  status: z.enum(["shipped", "picked_up"]),
  note: safeText().trim().max(200).default(""),
});

/** GET /api/v1/mall/items?memberId= */
export const mallItemsQuery = z.object({ memberId: id.optional() });

export const mallItemAnswer = z.object({
  itemId: z.string(),
  name: z.string(),
  nameEn: z.string(),
  kind: z.enum(["goods", "right", "membership"]),
  right: z.string().nullable(),
  plan: z.string().nullable(),
  points: z.number().int(),
  cash: z.number().int(),
  unitCost: z.number().int(),
  stock: z.number().int().nullable(),
  perMemberLimit: perMemberLimit.nullable(),
  tiers: z.array(z.string()).nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  description: z.string().nullable(),
  imageUrl: z.string().nullable(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  eligible: z.boolean().optional(),
  reason: z.enum(["out_of_stock", "limit_reached", "not_eligible", "insufficient_points"]).optional(),
});
export type MallItemAnswer = z.infer<typeof mallItemAnswer>;

export const mallOrderAnswer = z.object({
  id: z.string(),
  memberId: z.string(),
  itemId: z.string(),
  quantity: z.number().int(),
  points: z.number().int(),
  cash: z.number().int(),
  status: z.enum(["placed", "shipped", "picked_up", "cancelled"]),
  grantIds: z.array(z.string()).optional(),
  /** A membership item: the member's card after the order (started or extended). */
  membership: z.object({ plan: z.string(), startsAt: z.string(), endsAt: z.string() }).optional(),
});
export type MallOrderAnswer = z.infer<typeof mallOrderAnswer>;

const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");
/** The orders page's filter (and its CSV export): from the URL, so every field is optional text. */
export const mallOrderListQuery = z.object({
  status: z.enum(["placed", "shipped", "picked_up", "cancelled"]).optional().catch(undefined),
  itemId: z.string().trim().max(40).optional().catch(undefined),
  memberId: z.string().trim().max(128).optional().catch(undefined),
  from: dateOnly.optional().catch(undefined),
  to: dateOnly.optional().catch(undefined),
});
export type MallOrderListQuery = z.output<typeof mallOrderListQuery>;

/** The member page's phone order: an operator orders an item for the member. */
export const phoneOrderInput = z.object({ memberId: id, itemId: code, quantity: mallOrderInput.shape.quantity });
export const cancelMallOrderInput = z.object({ orderId: id });

import { z } from "zod";
import { safeText } from "./text";
import { messagingDefault, messagingRules, placeholdersOf } from "./messages";
import { codeFromName } from "@/lib/program/codes";

const code = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, "lowercase letters, digits, _ or -, starting with a letter (max 40)");
/** A name: the English one is optional and falls back to the Chinese. */
const names = z
  .object({ zh: safeText().trim().min(1).max(60), en: safeText().trim().max(60).optional() })
  .transform((n) => ({ zh: n.zh, en: n.en || n.zh }));
/** An item's own code; empty or left out: generated from its name when the program is parsed (see codeFromName). */
const ownCode = z
  .union([code, z.literal("")])
  .default("")
  .meta({ description: "Optional: left out or empty, it is made from the Chinese name's pinyin (unique in its list); other items cannot refer to it in the same request." });
const fen = z.number().int().nonnegative();
const pct = z.number().int().min(0).max(10_000);
const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Bounds of the program's lists. */
export const MAX_TIERS = 8;
export const MAX_RIGHTS = 100;

export const measures = ["growth", "spend", "orders"] as const;
export const windows = ["lifetime", "rolling12m", "calendarYear"] as const;

export const threshold = z.object({
  measure: z.enum(measures),
  window: z.enum(windows),
  value: z.number().int().positive(),
});

/** A tier's retention (保级) rule, checked by the period job for the members in that tier. */
export const retention = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  /** No paid order for `months` months (and `months` in the tier) → down one tier. */
  z.object({ kind: z.literal("inactivity"), months: z.number().int().min(1).max(36) }),
  /** Every `months` months since reaching the tier, re-check its thresholds; fall to the highest tier still met. */
  z.object({ kind: z.literal("requalify"), months: z.number().int().min(1).max(36) }),
]);
export type Retention = z.infer<typeof retention>;
export const retentionKinds = ["none", "inactivity", "requalify"] as const;

export const tierInput = z.object({
  code: ownCode,
  name: names,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #C0C0C0"),
  /** Empty for the entry tier (everyone qualifies). */
  thresholds: z.array(threshold).max(3),
  thresholdMode: z.enum(["any", "all"]).default("any"),
  /** Points multiplier in percent: 120 = ×1.2. */
  pointsMultiplierPct: pct.default(100),
  /**
   * How members of this tier keep it. Optional on input: a tier without one takes the program's
   * old top-level `retention` when it is above the entry tier, else `none`. The entry tier's is
   * irrelevant (there is no tier below it) and reads back as `none`, so removing or reordering
   * tiers never makes a program invalid for it.
   */
  retention: retention.optional().meta({
    description: "How members keep this tier, checked daily by the period job. Default: the deprecated top-level rule, else none; the entry tier's is always none.",
  }),
});
export type TierInput = z.infer<typeof tierInput>;

export const rightKinds = ["discount", "coupon", "free_shipping", "birthday_gift", "service", "early_access", "event_seat", "gift"] as const;
export const cadences = ["always", "upgrade", "monthly", "birthday", "once"] as const;

/** What a coupon right takes off at checkout (api.md, Checkout). */
export const couponEffect = z.discriminatedUnion("type", [
  /** 满减: `amount` fen off orders from `minSpend` (0: 无门槛); null amount: the instance's face value (its unit cost for its tier). */
  z.object({ type: z.literal("amount"), amount: fen.positive("must be greater than 0").nullable(), minSpend: fen }),
  /** 折扣券: `percent` off (9折 = 10), at most `maxDiscount` fen when set. */
  z.object({ type: z.literal("percent"), percent: z.number().int().min(1).max(99), maxDiscount: fen.positive("must be greater than 0").nullable().default(null) }),
  /** 免邮券: the shop waives shipping; nothing comes off the goods. */
  z.object({ type: z.literal("shipping") }),
]);
export type CouponEffect = z.infer<typeof couponEffect>;

export const rightInput = z.object({
  code: ownCode,
  name: names,
  kind: z.enum(rightKinds),
  cadence: z.enum(cadences),
  group: z.enum(["base", "tier", "exclusive"]).default("tier"),
  /** Estimated cost of one instance in fen, counted when it is redeemed. */
  unitCost: fen,
  faceValue: fen.nullable().default(null),
  validityDays: z.number().int().positive().max(3660).nullable().default(null),
  /** What it takes off at checkout; null: not usable at checkout (a service, a gift). */
  coupon: couponEffect.nullable().default(null),
});
export type RightInput = z.infer<typeof rightInput>;

export const matrixCell = z.object({
  tierCode: code,
  rightCode: code,
  value: safeText().max(40).nullable().default(null),
  quantity: z.number().int().min(0).max(100),
  /** Overrides the right's unit cost for this tier (a birthday coupon's face value differs by tier). */
  unitCost: fen.nullable().default(null),
});
export type MatrixCell = z.infer<typeof matrixCell>;

export const pointsAsCash = z.object({
  enabled: z.boolean(),
  /** The largest share of an order's amount points may pay, 0–1 (0.5: half). */
  maxShare: z.number().min(0).max(1),
  /** Fewer usable points than this: none may be used. */
  minPoints: z.number().int().min(0).max(10_000_000),
  /** Points are used in multiples of this. */
  step: z.number().int().min(1).max(1_000_000),
});
export type PointsAsCash = z.infer<typeof pointsAsCash>;

/** Stored value (储值): top-up bonuses, the largest rule whose minAmount ≤ the top-up applies. */
export const walletRules = z.object({
  enabled: z.boolean(),
  topUpBonuses: z.array(z.object({ minAmount: fen.positive("must be greater than 0"), bonus: fen })).max(20),
});
export type WalletRules = z.infer<typeof walletRules>;
export const walletDisabled: WalletRules = { enabled: false, topUpBonuses: [] };

export const pointsRules = z.object({
  perYuan: z.number().int().min(0).max(1000),
  checkIn: z.number().int().min(0),
  streakDays: z.number().int().min(2).max(31),
  /** Right granted on completing a streak (null: none). */
  streakRightCode: code.nullable(),
  review: z.number().int().min(0),
  share: z.number().int().min(0),
  shareDailyCap: z.number().int().min(0),
  profileCompleted: z.number().int().min(0),
  referral: z.number().int().min(0),
  /** Most points one member may earn a business day from non-order events (null: no cap). */
  dailyCap: z.number().int().positive().nullable(),
  expiry: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("rollingMonths"), months: z.number().int().min(1).max(120) }),
    z.object({ kind: z.literal("endOfNextYear") }),
    z.object({ kind: z.literal("never") }),
  ]),
  /** Value of one point in fen, in hundredths: 1 point = 1 fen is 100. */
  pointValueCentiFen: z.number().int().positive(),
  allowPointsPlusCash: z.boolean(),
  /**
   * 邀请成功下单双方奖励: points for the referrer and for the referee when a member registered with a
   * referrer pays their first order (given by the period job at the end of that business day), at
   * most `monthlyCapPerReferrer` rewarded referrals per referrer per calendar month (null: no cap).
   * Programs saved before it read back with no reward.
   */
  referralOrder: z
    .object({
      referrer: z.number().int().min(0).max(1_000_000),
      referee: z.number().int().min(0).max(1_000_000),
      monthlyCapPerReferrer: z.number().int().min(1).max(1000).nullable(),
    })
    .default({ referrer: 0, referee: 0, monthlyCapPerReferrer: null }),
  /** Points as cash at checkout (积分抵现). Programs saved before it read back as disabled. */
  pointsAsCash: pointsAsCash.default({ enabled: false, maxShare: 0.5, minPoints: 100, step: 100 }),
});
export type PointsRules = z.infer<typeof pointsRules>;

export const growthRules = z.object({
  perYuan: z.number().int().min(0).max(1000),
  checkIn: z.number().int().min(0),
  review: z.number().int().min(0),
  share: z.number().int().min(0),
  profileCompleted: z.number().int().min(0),
  referral: z.number().int().min(0),
});
export type GrowthRules = z.infer<typeof growthRules>;

export const schedule = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("range"), from: z.iso.date(), to: z.iso.date() }),
  z.object({ kind: z.literal("monthlyDay"), day: z.number().int().min(1).max(31) }),
  z.object({ kind: z.literal("weekday"), weekday: z.number().int().min(1).max(7) }),
  z.object({ kind: z.literal("birthdayMonth") }),
]);

export const campaignEffect = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pointsMultiplier"), pct: z.number().int().min(100).max(1000) }),
  z.object({ kind: z.literal("bonusPoints"), points: z.number().int().positive() }),
  z.object({ kind: z.literal("extraDiscount"), pct: z.number().int().min(1).max(90) }),
  z.object({ kind: z.literal("grantRight"), rightCode: code }),
]);

export const campaignInput = z.object({
  code: ownCode,
  name: names,
  schedule,
  /** Empty: all tiers. Each at most once (a duplicate is refused, not dropped). */
  targetTiers: z.array(code).max(MAX_TIERS, `at most ${MAX_TIERS} tiers (a program has at most ${MAX_TIERS})`),
  effect: campaignEffect,
  enabled: z.boolean().default(true),
});
export type CampaignInput = z.infer<typeof campaignInput>;

export const automationTrigger = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("registered") }),
  z.object({ kind: z.literal("tierUpgraded") }),
  z.object({ kind: z.literal("birthdayInDays"), days: z.number().int().min(0).max(60) }),
  z.object({ kind: z.literal("noOrderForDays"), days: z.number().int().min(1).max(730) }),
  z.object({ kind: z.literal("pointsExpiringInDays"), days: z.number().int().min(1).max(365) }),
  /** A paid-membership card ends in `days` days (its last purchase not followed by a renewal). */
  z.object({ kind: z.literal("membershipExpiringInDays"), days: z.number().int().min(1).max(365) }),
]);
export const automationAction = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("grantRight"), rightCode: code }),
  z.object({ kind: z.literal("bonusPoints"), points: z.number().int().positive() }),
  z.object({ kind: z.literal("message"), template: safeText().min(1).max(60) }),
]);
export const automationInput = z.object({
  code: ownCode,
  name: names,
  trigger: automationTrigger,
  actions: z.array(automationAction).min(1).max(5),
  /** At most once per member per this many days; null: once per occasion. */
  cooldownDays: z.number().int().positive().max(3660).nullable().default(null),
  enabled: z.boolean().default(true),
});
export type AutomationInput = z.infer<typeof automationInput>;

function withCodes<T extends { code: string; name: { zh: string; en: string } }>(items: T[], fallback: string): T[] {
  if (items.every((i) => i.code)) return items;
  const taken = new Set(items.map((i) => i.code).filter(Boolean));
  return items.map((i) => (i.code ? i : { ...i, code: codeFromName(i.name, taken, fallback) }));
}
/** Bounds of a program's paid-membership plans. */
export const MAX_PLANS = 20;
export const planCadences = ["on_start", "monthly"] as const;

/** A right a paid-membership plan gives: `on_start` at each purchase, `monthly` at the card's start and on each following 1st. */
export const planRight = z.object({
  right: code,
  quantity: z.number().int().min(1).max(100),
  cadence: z.enum(planCadences),
});

/**
 * A paid-membership plan (付费会员卡, api.md "Paid membership"): bought with money (`price`, fen) by
 * event, or with points (`points`) through a mall item of kind `membership`; at least one of them.
 * `pointsMultiplier` (×1–×10, two decimals) multiplies with the tier's and competes with campaign
 * multipliers while the card runs (the largest applies).
 */
export const planInput = z.object({
  code,
  name: safeText().trim().min(1).max(60),
  nameEn: safeText().trim().min(1).max(60),
  months: z.number().int().min(1).max(120),
  price: fen.positive("must be greater than 0").max(1_000_000_000).nullable().default(null),
  points: z.number().int().positive("must be greater than 0").max(100_000_000).nullable().default(null),
  rights: z.array(planRight).max(20).default([]),
  pointsMultiplier: z
    .number()
    .min(1)
    .max(10)
    .refine((x) => Number.isInteger(Math.round(x * 100)) && Math.abs(x * 100 - Math.round(x * 100)) < 1e-9, "at most two decimals")
    .optional(),
});
export type PlanInput = z.infer<typeof planInput>;
/** A plan's multiplier in percent (×1.5 → 150; none → 100). */
export const planMultiplierPct = (plan: Pick<PlanInput, "pointsMultiplier">) => Math.round((plan.pointsMultiplier ?? 1) * 100);

/** The program's fields, before the cross-field checks and the mapping of the old retention field. */
export const programFields = z.object({
    timeZone: z.string().max(64).refine(isTimeZone, { message: "an IANA time zone such as Asia/Shanghai", params: { reason: "timeZone" } }),
    tiers: z.array(tierInput).min(2).max(MAX_TIERS),
    /**
     * Deprecated (the format before per-tier rules): one rule for every tier above the entry tier.
     * Still accepted on input and mapped onto each such tier that has no `retention` of its own;
     * never written on output.
     */
    retention: retention.optional().meta({
      deprecated: true,
      description: "Deprecated: one retention rule for every tier above the entry tier; use tiers[].retention. Applies to tiers without their own.",
    }),
    /**
     * New members' start. `kind` "trial" (the default): `tierCode` for `days`, then the tier their
     * measures earn unless they ordered. "firstOrderUpgrade" (0元升级): `tierCode` from registration
     * (kept under its own rules), and one paid order within `days` moves them up to `upgradeTo`.
     */
    trial: z
      .object({
        tierCode: code,
        days: z.number().int().min(1).max(90),
        kind: z.enum(["trial", "firstOrderUpgrade"]).optional(),
        upgradeTo: code.optional(),
      })
      .nullable(),
    rights: z.array(rightInput).max(MAX_RIGHTS),
    /** One cell per tier and right at most. */
    matrix: z.array(matrixCell).max(MAX_TIERS * MAX_RIGHTS, `at most ${MAX_TIERS * MAX_RIGHTS} cells (one per tier and right)`),
    points: pointsRules,
    growth: growthRules,
    campaigns: z.array(campaignInput).max(200),
    automations: z.array(automationInput).max(100),
    lifecycle: z.object({
      newDays: z.number().int().min(1).max(365),
      dormantDays: z.number().int().min(1).max(730),
      lostDays: z.number().int().min(1).max(1095),
    }),
    costs: z.object({ toolFen: fen, labourFen: fen, otherFen: fen }),
    /** Programs saved before stored value read back with it disabled. */
    wallet: walletRules.default(walletDisabled),
    /** Programs saved before message templates read back with none, no cap and no quiet hours. */
    messaging: messagingRules.default(messagingDefault),
    /** Paid-membership plans; programs saved before plans read back with none. */
    plans: z.array(planInput).max(MAX_PLANS).default([]),
  });

/**
 * A message action names one of the program's templates. Programs written before templates name a
 * free-text label instead; that stays valid (sent as it is) while the program has no templates.
 * Expiring points are known only to a points-expiring trigger, a coupon only to an automation that grants one.
 */
function messageActionIssues(p: z.output<typeof programFields>, a: AutomationInput, template: string): string[] {
  const t = p.messaging.templates.find((x) => x.code === template);
  if (!t) return p.messaging.templates.length ? [`unknown template "${template}"`] : [];
  const used = new Set([...placeholdersOf(t.text.zh), ...placeholdersOf(t.text.en)]);
  const issues: string[] = [];
  for (const v of ["expiringPoints", "expiresOn"])
    if (used.has(v) && a.trigger.kind !== "pointsExpiringInDays") issues.push(`template "${template}" uses {${v}}, which only a points-expiring trigger knows`);
  for (const v of ["couponName", "couponCode"])
    if (used.has(v) && !a.actions.some((x) => x.kind === "grantRight")) issues.push(`template "${template}" uses {${v}}, which needs a "grant right" action in this automation`);
  return issues;
}

export const programInput = programFields
  .superRefine((p, ctx) => {
    const tierCodes = new Set<string>();
    p.tiers.forEach((t, i) => {
      if (t.code && tierCodes.has(t.code)) ctx.addIssue({ code: "custom", path: ["tiers", i, "code"], message: `duplicate tier code "${t.code}"`, params: { reason: "duplicateCode", code: t.code } });
      tierCodes.add(t.code);
      if (i === 0 && t.thresholds.length > 0)
        ctx.addIssue({ code: "custom", path: ["tiers", 0, "thresholds"], message: "the entry tier has no thresholds: every member qualifies", params: { reason: "entryTierThresholds" } });
      if (i > 0 && t.thresholds.length === 0)
        ctx.addIssue({ code: "custom", path: ["tiers", i, "thresholds"], message: "a tier above the entry tier needs at least one threshold", params: { reason: "tierNeedsThreshold" } });
      if (i > 1) {
        const prev = p.tiers[i - 1];
        t.thresholds.forEach((th, j) => {
          const same = prev.thresholds.find((x) => x.measure === th.measure && x.window === th.window);
          if (same && th.value <= same.value)
            ctx.addIssue({
              code: "custom",
              path: ["tiers", i, "thresholds", j, "value"],
              message: `must be greater than ${same.value}, the threshold of the tier below (${prev.code})`,
              params: { reason: "thresholdAboveBelow", below: same.value, belowCode: prev.code, belowZh: prev.name.zh, belowEn: prev.name.en },
            });
        });
      }
    });
    const rightCodes = new Set<string>();
    p.rights.forEach((r, i) => {
      if (r.code && rightCodes.has(r.code)) ctx.addIssue({ code: "custom", path: ["rights", i, "code"], message: `duplicate right code "${r.code}"`, params: { reason: "duplicateCode", code: r.code } });
      rightCodes.add(r.code);
    });
    const cells = new Set<string>();
    p.matrix.forEach((c, i) => {
      if (!tierCodes.has(c.tierCode)) ctx.addIssue({ code: "custom", path: ["matrix", i, "tierCode"], message: `unknown tier "${c.tierCode}"`, params: { reason: "unknownTier", code: c.tierCode } });
      if (!rightCodes.has(c.rightCode)) ctx.addIssue({ code: "custom", path: ["matrix", i, "rightCode"], message: `unknown right "${c.rightCode}"`, params: { reason: "unknownRight", code: c.rightCode } });
      const key = `${c.tierCode}/${c.rightCode}`;
      if (cells.has(key)) ctx.addIssue({ code: "custom", path: ["matrix", i], message: `duplicate cell ${key}`, params: { reason: "duplicateCell" } });
      cells.add(key);
    });
    if (p.trial && !tierCodes.has(p.trial.tierCode))
      ctx.addIssue({ code: "custom", path: ["trial", "tierCode"], message: `unknown tier "${p.trial.tierCode}"`, params: { reason: "unknownTier", code: p.trial.tierCode } });
    if (p.trial?.kind === "firstOrderUpgrade") {
      const rank = (c: string | undefined) => p.tiers.findIndex((t) => t.code === c);
      if (!p.trial.upgradeTo || rank(p.trial.upgradeTo) < 0)
        ctx.addIssue({ code: "custom", path: ["trial", "upgradeTo"], message: "choose the tier a first order moves the member up to" });
      else if (rank(p.trial.upgradeTo) <= rank(p.trial.tierCode))
        ctx.addIssue({ code: "custom", path: ["trial", "upgradeTo"], message: "must rank above the start tier" });
    }
    if (p.points.streakRightCode && !rightCodes.has(p.points.streakRightCode))
      ctx.addIssue({ code: "custom", path: ["points", "streakRightCode"], message: `unknown right "${p.points.streakRightCode}"`, params: { reason: "unknownRight", code: p.points.streakRightCode } });
    const campaignCodes = new Set<string>();
    p.campaigns.forEach((c, i) => {
      if (c.code && campaignCodes.has(c.code)) ctx.addIssue({ code: "custom", path: ["campaigns", i, "code"], message: `duplicate campaign code "${c.code}"`, params: { reason: "duplicateCode", code: c.code } });
      campaignCodes.add(c.code);
      const targets = new Set<string>();
      c.targetTiers.forEach((t, j) => {
        if (!tierCodes.has(t)) ctx.addIssue({ code: "custom", path: ["campaigns", i, "targetTiers", j], message: `unknown tier "${t}"`, params: { reason: "unknownTier", code: t } });
        else if (targets.has(t)) ctx.addIssue({ code: "custom", path: ["campaigns", i, "targetTiers", j], message: `duplicate tier "${t}"`, params: { reason: "duplicateTier", code: t } });
        targets.add(t);
      });
      if (c.schedule.kind === "range" && c.schedule.to < c.schedule.from)
        ctx.addIssue({ code: "custom", path: ["campaigns", i, "schedule", "to"], message: "must not be before the start date", params: { reason: "endBeforeStart" } });
      if (c.effect.kind === "grantRight" && !rightCodes.has(c.effect.rightCode))
        ctx.addIssue({ code: "custom", path: ["campaigns", i, "effect", "rightCode"], message: `unknown right "${c.effect.rightCode}"`, params: { reason: "unknownRight", code: c.effect.rightCode } });
    });
    const automationCodes = new Set<string>();
    p.automations.forEach((a, i) => {
      if (a.code && automationCodes.has(a.code)) ctx.addIssue({ code: "custom", path: ["automations", i, "code"], message: `duplicate automation code "${a.code}"`, params: { reason: "duplicateCode", code: a.code } });
      automationCodes.add(a.code);
      a.actions.forEach((act, j) => {
        if (act.kind === "grantRight" && !rightCodes.has(act.rightCode))
          ctx.addIssue({ code: "custom", path: ["automations", i, "actions", j, "rightCode"], message: `unknown right "${act.rightCode}"`, params: { reason: "unknownRight", code: act.rightCode } });
        if (act.kind === "message") messageActionIssues(p, a, act.template).forEach((message) => ctx.addIssue({ code: "custom", path: ["automations", i, "actions", j, "template"], message }));
      });
    });
    const templateCodes = new Set<string>();
    p.messaging.templates.forEach((t, i) => {
      if (templateCodes.has(t.code)) ctx.addIssue({ code: "custom", path: ["messaging", "templates", i, "code"], message: `duplicate template code "${t.code}"` });
      templateCodes.add(t.code);
    });
    const bonusFloors = new Set<number>();
    p.wallet.topUpBonuses.forEach((b, i) => {
      if (bonusFloors.has(b.minAmount)) ctx.addIssue({ code: "custom", path: ["wallet", "topUpBonuses", i, "minAmount"], message: `two rules start at ${b.minAmount} fen`, params: { reason: "sameTopUpFloor", amount: b.minAmount } });
      bonusFloors.add(b.minAmount);
    });
    const planCodes = new Set<string>();
    p.plans.forEach((pl, i) => {
      if (planCodes.has(pl.code)) ctx.addIssue({ code: "custom", path: ["plans", i, "code"], message: `duplicate plan code "${pl.code}"` });
      planCodes.add(pl.code);
      if (pl.price === null && pl.points === null) ctx.addIssue({ code: "custom", path: ["plans", i, "price"], message: "a plan needs a price, points, or both" });
      pl.rights.forEach((r, j) => {
        if (!rightCodes.has(r.right)) ctx.addIssue({ code: "custom", path: ["plans", i, "rights", j, "right"], message: `unknown right "${r.right}"` });
      });
    });
    if (!(p.lifecycle.dormantDays < p.lifecycle.lostDays))
      ctx.addIssue({ code: "custom", path: ["lifecycle", "lostDays"], message: "must be greater than the dormant day count", params: { reason: "lostAfterDormant" } });
  })
  // The old top-level rule fills every tier above the entry tier that has none of its own; the
  // output has a rule on every tier and no top-level one.
  // Items without a code get one from their name, unique in their list.
  .transform(({ retention: legacy, ...p }) => ({
    ...p,
    tiers: withCodes(p.tiers, "tier").map(({ retention: own, ...t }, i): TierInput & { retention: Retention } => ({
      ...t,
      retention: i === 0 ? { kind: "none" } : (own ?? legacy ?? { kind: "none" }),
    })),
    rights: withCodes(p.rights, "right"),
    campaigns: withCodes(p.campaigns, "campaign"),
    automations: withCodes(p.automations, "automation"),
  }));

export type ProgramInput = z.input<typeof programInput>;
export type Program = z.output<typeof programInput>;
export type Tier = Program["tiers"][number];

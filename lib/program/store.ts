import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { programVersions, tiers, rights, matrixCells, campaigns, automations } from "@/db/schema";
import { z } from "zod";
import { couponEffect, planInput, pointsRules, programInput, retention as retentionRule, walletDisabled, walletRules, type Program, type ProgramInput, type Retention } from "@/lib/schemas/program";
import { messagingDefault, messagingRules } from "@/lib/schemas/messages";
import { AppError, validationError } from "@/lib/errors";

/** The beginning of time for version 1, so history from any date can be loaded under it. */
export const BEGINNING = new Date("1970-01-01T00:00:00Z");

export interface LoadedProgram extends Program {
  version: number;
  effectiveFrom: Date;
}

/**
 * `program_versions.retention` holds the tiers' retention rules as `{ kind: "perTier", tiers: { code: rule } }`.
 * Versions written before rules were per tier hold one rule (`{ kind: "inactivity", months }` …),
 * which applied to every tier above the entry tier; they read back that way.
 */
export function encodeRetention(p: Program) {
  return { kind: "perTier", tiers: Object.fromEntries(p.tiers.map((t) => [t.code, t.retention])) };
}

export function decodeRetention(stored: unknown, tierCodes: string[]): Retention[] {
  const none: Retention = { kind: "none" };
  if (stored && typeof stored === "object" && "kind" in stored && stored.kind === "perTier" && "tiers" in stored) {
    const byCode = (stored.tiers ?? {}) as Record<string, unknown>;
    return tierCodes.map((code, rank) => {
      const r = retentionRule.safeParse(byCode[code]);
      return rank > 0 && r.success ? r.data : none;
    });
  }
  const legacy = retentionRule.safeParse(stored);
  return tierCodes.map((_, rank) => (rank > 0 && legacy.success ? legacy.data : none));
}

export function parseProgramOrThrow(input: unknown): Program {
  const parsed = programInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/**
 * Writes a new version of the merchant's program, in force from `effectiveFrom` (now by default),
 * and returns its number. Earlier versions stay as they were: events keep their rules.
 */
export async function saveProgram(
  db: Db,
  merchantId: string,
  input: ProgramInput | Program,
  opts: { effectiveFrom?: Date; createdBy?: string | null; note?: string } = {},
): Promise<number> {
  const p = parseProgramOrThrow(input);
  return db.transaction(async (tx) => {
    // Serialise concurrent saves of one merchant: the version number is max + 1.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"program:" + merchantId}))`);
    const [last] = await tx
      .select({ version: programVersions.version, effectiveFrom: programVersions.effectiveFrom })
      .from(programVersions)
      .where(eq(programVersions.merchantId, merchantId))
      .orderBy(desc(programVersions.version))
      .limit(1);
    const version = (last?.version ?? 0) + 1;
    let effectiveFrom = last ? (opts.effectiveFrom ?? new Date()) : BEGINNING;
    if (last && effectiveFrom < last.effectiveFrom) effectiveFrom = last.effectiveFrom;
    await tx.insert(programVersions).values({
      merchantId,
      version,
      effectiveFrom,
      timeZone: p.timeZone,
      retention: encodeRetention(p),
      trial: p.trial,
      pointsRules: p.points,
      growthRules: p.growth,
      lifecycle: p.lifecycle,
      costs: p.costs,
      wallet: p.wallet,
      messaging: p.messaging,
      plans: p.plans,
      createdBy: opts.createdBy ?? null,
      note: opts.note ?? null,
    });
    await tx.insert(tiers).values(
      p.tiers.map((t, rank) => ({
        merchantId,
        version,
        code: t.code,
        rank,
        nameZh: t.name.zh,
        nameEn: t.name.en,
        color: t.color,
        thresholds: t.thresholds,
        thresholdMode: t.thresholdMode,
        pointsMultiplier: t.pointsMultiplierPct,
      })),
    );
    if (p.rights.length)
      await tx.insert(rights).values(
        p.rights.map((r) => ({
          merchantId,
          version,
          code: r.code,
          nameZh: r.name.zh,
          nameEn: r.name.en,
          kind: r.kind,
          cadence: r.cadence,
          group: r.group,
          unitCost: r.unitCost,
          faceValue: r.faceValue,
          validityDays: r.validityDays,
          coupon: r.coupon,
        })),
      );
    if (p.matrix.length)
      await tx.insert(matrixCells).values(p.matrix.map((c) => ({ merchantId, version, ...c })));
    if (p.campaigns.length)
      await tx.insert(campaigns).values(
        p.campaigns.map((c) => ({
          merchantId,
          version,
          code: c.code,
          nameZh: c.name.zh,
          nameEn: c.name.en,
          schedule: c.schedule,
          targetTiers: c.targetTiers,
          effect: c.effect,
          enabled: c.enabled,
        })),
      );
    if (p.automations.length)
      await tx.insert(automations).values(
        p.automations.map((a) => ({
          merchantId,
          version,
          code: a.code,
          nameZh: a.name.zh,
          nameEn: a.name.en,
          trigger: a.trigger,
          actions: a.actions,
          cooldownDays: a.cooldownDays,
          enabled: a.enabled,
        })),
      );
    return version;
  });
}

// Versions never change once written, so a loaded one can be kept for the life of the process.
// Frozen, because every caller shares it: changing it in place would change the engine's rules.
const cache = new Map<string, LoadedProgram>();

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const cacheKey = (merchantId: string, version: number) => `${merchantId}:${version}`;

/** A version loadProgramVersion has already read in this process, without a database handle. */
export const cachedProgramVersion = (merchantId: string, version: number): LoadedProgram | undefined => cache.get(cacheKey(merchantId, version));

export async function loadProgramVersion(db: Db, merchantId: string, version: number): Promise<LoadedProgram> {
  const hit = cachedProgramVersion(merchantId, version);
  if (hit) return hit;
  const [head] = await db
    .select()
    .from(programVersions)
    .where(and(eq(programVersions.merchantId, merchantId), eq(programVersions.version, version)));
  if (!head) throw new AppError("not_found", `program version ${version} not found`);
  const [ts, rs, ms, cs, as] = await Promise.all([
    db.select().from(tiers).where(and(eq(tiers.merchantId, merchantId), eq(tiers.version, version))).orderBy(tiers.rank),
    db.select().from(rights).where(and(eq(rights.merchantId, merchantId), eq(rights.version, version))).orderBy(rights.code),
    db.select().from(matrixCells).where(and(eq(matrixCells.merchantId, merchantId), eq(matrixCells.version, version))),
    db.select().from(campaigns).where(and(eq(campaigns.merchantId, merchantId), eq(campaigns.version, version))).orderBy(campaigns.code),
    db.select().from(automations).where(and(eq(automations.merchantId, merchantId), eq(automations.version, version))).orderBy(automations.code),
  ]);
  const retentions = decodeRetention(head.retention, ts.map((t) => t.code));
  const program: LoadedProgram = {
    version,
    effectiveFrom: head.effectiveFrom,
    timeZone: head.timeZone,
    trial: head.trial as Program["trial"],
    // Parsed, so rules added since a version was written read back with their defaults.
    points: pointsRules.parse(head.pointsRules),
    growth: head.growthRules as Program["growth"],
    lifecycle: head.lifecycle as Program["lifecycle"],
    costs: head.costs as Program["costs"],
    wallet: head.wallet == null ? walletDisabled : walletRules.parse(head.wallet),
    messaging: head.messaging == null ? messagingDefault : messagingRules.parse(head.messaging),
    plans: head.plans == null ? [] : z.array(planInput).parse(head.plans),
    tiers: ts.map((t, i) => ({
      code: t.code,
      name: { zh: t.nameZh, en: t.nameEn },
      color: t.color,
      thresholds: t.thresholds as Program["tiers"][number]["thresholds"],
      thresholdMode: t.thresholdMode,
      pointsMultiplierPct: t.pointsMultiplier,
      retention: retentions[i],
    })),
    rights: rs.map((r) => ({
      code: r.code,
      name: { zh: r.nameZh, en: r.nameEn },
      kind: r.kind as Program["rights"][number]["kind"],
      cadence: r.cadence,
      group: r.group,
      unitCost: r.unitCost,
      faceValue: r.faceValue,
      validityDays: r.validityDays,
      coupon: r.coupon == null ? null : couponEffect.parse(r.coupon),
    })),
    matrix: ms
      .map((c) => ({ tierCode: c.tierCode, rightCode: c.rightCode, value: c.value, quantity: c.quantity, unitCost: c.unitCost }))
      .sort((a, b) => (a.tierCode + a.rightCode).localeCompare(b.tierCode + b.rightCode)),
    campaigns: cs.map((c) => ({
      code: c.code,
      name: { zh: c.nameZh, en: c.nameEn },
      schedule: c.schedule as Program["campaigns"][number]["schedule"],
      targetTiers: c.targetTiers as string[],
      effect: c.effect as Program["campaigns"][number]["effect"],
      enabled: c.enabled,
    })),
    automations: as.map((a) => ({
      code: a.code,
      name: { zh: a.nameZh, en: a.nameEn },
      trigger: a.trigger as Program["automations"][number]["trigger"],
      actions: a.actions as Program["automations"][number]["actions"],
      cooldownDays: a.cooldownDays,
      enabled: a.enabled,
    })),
  };
  cache.set(cacheKey(merchantId, version), deepFreeze(program));
  return program;
}

/** Version numbers and start instants of a merchant's program, oldest first. */
export async function listVersions(db: Db, merchantId: string) {
  return db
    .select({ version: programVersions.version, effectiveFrom: programVersions.effectiveFrom, createdBy: programVersions.createdBy, createdAt: programVersions.createdAt, note: programVersions.note })
    .from(programVersions)
    .where(eq(programVersions.merchantId, merchantId))
    .orderBy(programVersions.version);
}

/** The program in force at an instant (the latest version whose start is not after it). */
export async function programAt(db: Db, merchantId: string, at: Date): Promise<LoadedProgram> {
  const [row] = await db
    .select({ version: programVersions.version })
    .from(programVersions)
    .where(and(eq(programVersions.merchantId, merchantId), lte(programVersions.effectiveFrom, at)))
    .orderBy(desc(programVersions.effectiveFrom), desc(programVersions.version))
    .limit(1);
  if (!row) throw new AppError("not_found", "this merchant has no program yet");
  return loadProgramVersion(db, merchantId, row.version);
}

export async function currentProgram(db: Db, merchantId: string): Promise<LoadedProgram> {
  const [row] = await db
    .select({ version: programVersions.version })
    .from(programVersions)
    .where(eq(programVersions.merchantId, merchantId))
    .orderBy(desc(programVersions.version))
    .limit(1);
  if (!row) throw new AppError("not_found", "this merchant has no program yet");
  return loadProgramVersion(db, merchantId, row.version);
}

/** The export format (GET /api/v1/program): a copy of the program without its version bookkeeping. */
export function toExport(p: LoadedProgram): Program {
  const { version, effectiveFrom, ...rest } = p;
  return structuredClone(rest);
}

import { refreshAggregates } from "@/lib/metrics/aggregates";
import { refreshDailyAggregates } from "@/lib/metrics/rollup";
import { and, eq, isNull, inArray, or, gt } from "drizzle-orm";
import cliProgress from "cli-progress";
import type { Db } from "@/db/client";
import { rightInstances } from "@/db/schema";
import { ingestEvents } from "@/lib/engine/ingest";
import { analyzeEngineTables, runPeriodJob } from "@/lib/engine/period";
import { redeemPoints } from "@/lib/members/points-ops";
import { currentProgram } from "@/lib/program/store";
import { addDays, addMonths, businessDate, isoWeekday, startOfBusinessDate, pad } from "@/lib/util/dates";
import { rng, type Rng } from "./random";

export interface SeedOptions {
  members: number;
  months: number;
  seed: number;
  /** The last day of history (default: today in the merchant's time zone). */
  endDate?: string;
  progress?: boolean;
  /** Called after each chunk of days: days done of the total, and the last date done. */
  onProgress?: (daysDone: number, days: number, date: string) => void;
  /**
   * Awaited after each batch of events and each period-job day. The server's first start passes a
   * turn of the event loop: the embedded database runs in this thread and answers with promises
   * alone, so without it the seeding would starve every request until it ends.
   */
  pause?: () => Promise<void>;
  /**
   * KPI aggregates to build over the seeded history at the end: "all" as `metrics rollup` would (CLI
   * seed), "daily" only the daily rollups (first start: the range-distinct ones take ~17 s at 5,000
   * members on the embedded database, and the raw queries they replace answer in milliseconds there).
   */
  aggregates?: "all" | "daily";
}

interface SimMember {
  id: string;
  registered: string;
  /** Expected orders per month. */
  rate: number;
  /** Median order in fen. */
  basket: number;
  checksIn: boolean;
  churnAfter: string | null;
}

const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
const given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红".split("");

/** How busy a day is: weekends, 11.11 (the year's peak), 6.18 and the member and double-points days. */
function dayWeight(date: string): number {
  const md = date.slice(5);
  let w = isoWeekday(date) >= 6 ? 1.35 : 1;
  if (md === "11-11") w *= 6;
  else if (md >= "11-01" && md <= "11-12") w *= 1.8;
  else if (md === "06-18") w *= 2.5;
  else if (md.startsWith("12") || md.startsWith("01")) w *= 1.15;
  const day = Number(date.slice(8));
  if (day === 8) w *= 1.5;
  if (day === 18) w *= 1.4;
  return w;
}

function makeMembers(r: Rng, n: number, start: string, end: string): SimMember[] {
  const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000);
  const out: SimMember[] = [];
  for (let i = 0; i < n; i++) {
    // Registrations grow over time: density rising linearly (sqrt of a uniform).
    const offset = Math.min(days, Math.floor(Math.sqrt(r.next()) * (days + 1)));
    const registered = addDays(start, offset);
    const heavy = r.chance(0.12);
    out.push({
      id: `M${String(i + 1).padStart(6, "0")}`,
      registered,
      rate: heavy ? r.logNormal(2.2, 0.4) : r.logNormal(0.45, 0.8),
      basket: Math.round(r.logNormal(heavy ? 22000 : 11000, 0.55)),
      checksIn: r.chance(0.12),
      churnAfter: r.chance(0.35) ? addDays(registered, r.int(20, 300)) : null,
    });
  }
  return out.sort((a, b) => a.registered.localeCompare(b.registered) || a.id.localeCompare(b.id));
}

const at = (date: string, tz: string, r: Rng) => {
  const hour = r.pick([9, 10, 11, 12, 12, 13, 14, 15, 17, 18, 19, 19, 20, 20, 21, 22]);
  return new Date(startOfBusinessDate(date, tz).getTime() + (hour * 3600 + r.int(0, 3599)) * 1000).toISOString().replace(".000Z", "Z");
};

/** Registrations happen before the shop's opening hours (08:00–08:59), so a new member's first order that day comes after. */
const early = (date: string, tz: string, r: Rng) =>
  new Date(startOfBusinessDate(date, tz).getTime() + (8 * 3600 + r.int(0, 3599)) * 1000).toISOString().replace(".000Z", "Z");

/**
 * Generates a realistic, deterministic history — registrations growing, weekly and yearly
 * seasonality with an 11.11 peak, repeat buyers, check-ins, reviews, shares, referrals, ~5%
 * refunds, coupons redeemed at checkout, points redeemed, birthdays — and feeds it day by day
 * through the engine's own batch path and the period job.
 */
export async function seedMerchantHistory(db: Db, merchantId: string, o: SeedOptions) {
  const t0 = Date.now();
  const p = await currentProgram(db, merchantId);
  const tz = p.timeZone;
  const end = o.endDate ?? businessDate(new Date(), tz);
  const start = addMonths(end, -o.months);
  const r = rng(o.seed);
  const sims = makeMembers(r, o.members, start, end);
  const byDay = new Map<string, SimMember[]>();
  for (const m of sims) byDay.set(m.registered, [...(byDay.get(m.registered) ?? []), m]);
  const active: SimMember[] = [];
  const pending: { date: string; ev: Record<string, unknown> }[] = [];
  let seq = 0;
  let events = 0;
  let rejected = 0;
  const bar = o.progress ? new cliProgress.SingleBar({ format: "seeding {bar} {percentage}% | {value}/{total} days | {date}" }, cliProgress.Presets.shades_classic) : null;
  const totalDays = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
  bar?.start(totalDays, 0, { date: start });
  let dayIndex = 0;
  // Days go in chunks of up to a week that never cross a month's end: a chunk's events in batches
  // of 1,000, then the period job day by day. (Within a chunk a coupon issued on one day can only
  // be used from the next chunk on; everything else is as if each day went in on its own.)
  let chunk: Record<string, unknown>[] = [];
  let chunkBuyers: { m: SimMember; time: string }[] = [];
  let chunkDays: string[] = [];
  const usedGrant = new Set<string>();
  for (let d = start; d <= end; d = addDays(d, 1)) {
    const batch: Record<string, unknown>[] = [];
    const id = (k: string) => `seed-${o.seed}-${k}-${++seq}`;
    for (const m of byDay.get(d) ?? []) {
      const referrer = active.length > 20 && r.chance(0.06) ? r.pick(active) : null;
      const birthday = r.chance(0.85) ? `${r.int(1965, 2004)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}` : undefined;
      batch.push({ id: id("reg"), type: "member.registered", occurredAt: early(d, tz, r), memberId: m.id, data: { name: r.pick(surnames) + r.pick(given) + (r.chance(0.5) ? r.pick(given) : ""), phone: `1${r.pick(["38", "39", "58", "86", "35"])}${String(r.int(0, 99_999_999)).padStart(8, "0")}`, ...(birthday ? { birthday } : {}), ...(referrer ? { referrerId: referrer.id } : {}) } });
      if (referrer) batch.push({ id: id("ref"), type: "referral.completed", occurredAt: at(d, tz, r), memberId: referrer.id, data: { refereeId: m.id } });
      if (r.chance(0.4)) batch.push({ id: id("prof"), type: "profile.completed", occurredAt: at(d, tz, r), memberId: m.id, data: {} });
      active.push(m);
    }
    const w = dayWeight(d);
    const buyers: { m: SimMember; amount: number; orderId: string; time: string }[] = [];
    for (const m of active) {
      if (m.churnAfter && d > m.churnAfter && !r.chance(0.05)) continue;
      if (r.chance(Math.min(0.9, (m.rate / 30) * w))) {
        const amount = Math.max(990, Math.round(r.logNormal(m.basket, 0.5) / 10) * 10);
        buyers.push({ m, amount, orderId: `${d.replaceAll("-", "")}-${++seq}`, time: at(d, tz, r) });
      }
      if (m.checksIn && r.chance(0.35)) batch.push({ id: id("ci"), type: "member.checked_in", occurredAt: at(d, tz, r), memberId: m.id, data: {} });
    }
    // Coupons held by today's buyers: about half of them use one at checkout.
    const held = buyers.length
      ? await db
          .select({ grantId: rightInstances.grantId, memberId: rightInstances.memberId, code: rightInstances.rightCode, cost: rightInstances.unitCost })
          .from(rightInstances)
          .where(and(eq(rightInstances.merchantId, merchantId), inArray(rightInstances.memberId, buyers.map((b) => b.m.id)), isNull(rightInstances.redeemedAt), or(isNull(rightInstances.expiresAt), gt(rightInstances.expiresAt, startOfBusinessDate(addDays(d, 1), tz)))))
          .orderBy(rightInstances.source)
      : [];
    // Walk-in guests: about one order in eight, smaller baskets, a few refunded.
    const guests = Math.round(buyers.length * 0.14 + r.int(0, 1));
    for (let i = 0; i < guests; i++) {
      const orderId = `${d.replaceAll("-", "")}-g${++seq}`;
      const amount = Math.max(500, Math.round(r.logNormal(8000, 0.6) / 10) * 10);
      batch.push({ id: id("guest"), type: "order.paid", occurredAt: at(d, tz, r), memberId: null, data: { orderId, amount } });
      if (r.chance(0.03)) pending.push({ date: addDays(d, r.int(1, 5)), ev: { id: id("grefund"), type: "order.refunded", memberId: null, data: { orderId, amount } } });
    }
    for (const b of buyers) {
      const discount = Math.round(b.amount * 0.05) + (Number(d.slice(8)) === 8 ? Math.round(b.amount * 0.07) : 0);
      batch.push({ id: id("paid"), type: "order.paid", occurredAt: b.time, memberId: b.m.id, data: { orderId: b.orderId, amount: b.amount, memberDiscount: discount } });
      const coupon = held.find((h) => h.memberId === b.m.id && !usedGrant.has(h.grantId));
      if (coupon && r.chance(0.55)) {
        usedGrant.add(coupon.grantId);
        batch.push({ id: id("use"), type: "right.redeemed", occurredAt: b.time, memberId: b.m.id, data: { grantId: coupon.grantId } });
      }
      if (r.chance(0.12)) pending.push({ date: addDays(d, r.int(0, 2)), ev: { id: id("rev"), type: "review.posted", memberId: b.m.id, data: {} } });
      if (r.chance(0.08)) pending.push({ date: d, ev: { id: id("share"), type: "content.shared", memberId: b.m.id, data: {} } });
      if (r.chance(0.05)) {
        const full = r.chance(0.6);
        pending.push({ date: addDays(d, r.int(1, 10)), ev: { id: id("refund"), type: "order.refunded", memberId: b.m.id, data: { orderId: b.orderId, amount: full ? b.amount : Math.round(b.amount * r.int(20, 80) / 100) } } });
      }
    }
    if (r.chance(0.7)) for (let i = 0; i < Math.ceil(buyers.length / 20); i++) if (buyers.length) pending.push({ date: d, ev: { id: id("share"), type: "content.shared", memberId: r.pick(buyers).m.id, data: {} } });
    for (let i = pending.length - 1; i >= 0; i--) {
      if (pending[i].date !== d) continue;
      batch.push({ ...pending[i].ev, occurredAt: at(d, tz, r) });
      pending.splice(i, 1);
    }
    chunk.push(...batch);
    chunkBuyers.push(...buyers);
    chunkDays.push(d);
    const next = addDays(d, 1);
    if (chunkDays.length < 7 && !next.endsWith("-01") && d !== end) continue;
    chunk.sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt)));
    for (let i = 0; i < chunk.length; i += 1000) {
      for (const res of await ingestEvents(db, merchantId, chunk.slice(i, i + 1000))) if (res.status !== "applied") rejected++;
      await o.pause?.();
    }
    events += chunk.length;
    // Some members spend points at the till, a minute after their order (so the history has them on their days).
    for (const b of chunkBuyers) {
      if (!r.chance(0.04)) continue;
      const points = 100 * r.int(1, 5);
      try {
        await redeemPoints(db, merchantId, b.m.id, { id: `seed-${o.seed}-redeem-${++seq}`, points, reason: "积分抵现" }, new Date(Date.parse(b.time) + 60_000));
      } catch {
        /* not enough points: a real till would refuse too */
      }
    }
    for (const day of chunkDays) {
      await runPeriodJob(db, merchantId, day, { refreshProjections: day === end, analyze: false });
      await o.pause?.();
      dayIndex++;
      // The embedded database has no autovacuum: keep the planner's statistics fresh as tables grow.
      if ([7, 31, 91, 182, 365].includes(dayIndex) || day === end) await analyzeEngineTables(db);
    }
    bar?.update(dayIndex, { date: d });
    o.onProgress?.(dayIndex, totalDays, d);
    chunk = [];
    chunkBuyers = [];
    chunkDays = [];
    usedGrant.clear();
  }
  bar?.stop();
  // The KPI aggregates over the whole history (set-based), so the dashboards answer from them at once.
  if (o.aggregates === "all") await refreshAggregates(db, merchantId, end);
  if (o.aggregates === "daily") await refreshDailyAggregates(db, merchantId, end);
  return { events, rejected, members: sims.length, days: totalDays, ms: Date.now() - t0 };
}

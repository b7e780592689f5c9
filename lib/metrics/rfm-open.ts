import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { num } from "./common";
import { rfmWindowStart, type Rfm } from "./rfm";
import { buildSummary, gridFromJoint, scoresFromSummary, type Distribution, type QuantileSummary } from "./rfm-quantiles";

/*
 * RFM for a period ending on the open day D (lib/metrics/open-day.ts), exact, without ranking every
 * member. Scores need only order statistics (lib/metrics/rfm-quantiles.ts):
 * - the base at T (the rollups' last day, written with them: rollup.ts writeRfmBase) per bucket: the
 *   joint (last order date, orders) histogram and the spend histogram with the count below each value;
 * - the open day's contributions 'rf' (d = last date, k = orders) and 'rm' (k = spend) per member key:
 *   −1 for the member's measures over the window ending T in their bucket at T, +1 for the window
 *   ending D in their bucket at D, so their sums are the change of the histograms from T to D;
 * - at every refreshOpenDay, per bucket, the summary at D (metric_open_rfm): the joint histogram at D
 *   (base + 'rf' sums: ≤ 366 × distinct order counts cells) and the spend distribution's windows
 *   around the quintile ranks (base + 'rm' sums, found by a k-ary search probing the base by value);
 * - a reader adds the 'rf' / 'rm' corrections of the keys logged since the refresh: R × F exactly
 *   from the patched joint histogram, M from the patched windows — or, when a boundary moved out of
 *   its window (more than RFM_WINDOW / 2 members changed since the refresh), null: the raw function.
 */

/** Ranks kept on each side of each quintile boundary (K): a reader's corrections stay exact up to K / 2 changed members. */
export const RFM_WINDOW = 1000;

const dayMs = 86_400_000;
const offset = (d: string, from: string) => Math.round((Date.parse(d) - Date.parse(from)) / dayMs);

/** Which T the base is for (null: none). */
export async function rfmBaseDate(db: Db, merchantId: string): Promise<string | null> {
  const [row] = await queryRows<{ d: string }>(db, sql`select through_date::text as d from metric_rfm_base_state where merchant_id = ${merchantId}`);
  return row?.d ?? null;
}

/**
 * Rewrites the open day's RFM summary (metric_open_rfm) from the base at T and the open day's sums,
 * in the refresh's transaction; removes it when there is no base for T.
 */
export async function writeRfmSummary(tx: Db, M: string, T: string, D: string, buckets: string[], K = RFM_WINDOW) {
  await tx.execute(sql`delete from metric_open_rfm where merchant_id = ${M}`);
  const [state] = await queryRows<{ d: string; w: string }>(
    tx,
    sql`select through_date::text as d, written_at::text as w from metric_rfm_base_state where merchant_id = ${M}`,
  );
  if (state?.d !== T) return;
  const wsD = rfmWindowStart(D);
  const rf = await queryRows<{ bucket: string; d: string; k: number; n: number }>(
    tx,
    sql`select bucket, last_date::text as d, orders as k, n from metric_rfm_base_rf where merchant_id = ${M}
        union all
        select bucket, d::text, k::int, n from metric_open_sums where merchant_id = ${M} and kind = 'rf'`,
  );
  const rm = await queryRows<{ bucket: string; k: string; n: number }>(tx, sql`select bucket, k, n from metric_open_sums where merchant_id = ${M} and kind = 'rm'`);
  const base = await queryRows<{ bucket: string; n: number; lo: number; hi: number }>(
    tx,
    sql`select bucket, sum(n)::bigint as n, min(spend) as lo, max(spend) as hi from metric_rfm_base_m where merchant_id = ${M} group by bucket`,
  );
  const all = new Set([...buckets, ...rf.map((r) => r.bucket), ...rm.map((r) => r.bucket), ...base.map((r) => r.bucket)]);
  for (const bucket of all) {
    const joint = new Map<string, [number, number, number]>();
    for (const r of rf) {
      if (r.bucket !== bucket) continue;
      const key = `${r.d}|${r.k}`;
      const cell = joint.get(key) ?? [offset(r.d, wsD), num(r.k), 0];
      cell[2] += num(r.n);
      joint.set(key, cell);
    }
    // The 'rm' sums: the spend distribution's change from T to D, sorted with prefix sums.
    const delta = new Map<number, number>();
    for (const r of rm) if (r.bucket === bucket) delta.set(Number(r.k), (delta.get(Number(r.k)) ?? 0) + num(r.n));
    const dv = [...delta].filter(([, c]) => c !== 0).sort((a, b) => a[0] - b[0]);
    const prefix: number[] = [];
    for (const [i, [, c]] of dv.entries()) prefix.push((prefix[i - 1] ?? 0) + c);
    const deltaLE = (v: number) => {
      let lo = 0;
      let hi = dv.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (dv[mid][0] <= v) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 0 : prefix[lo - 1];
    };
    const b = base.find((x) => x.bucket === bucket);
    const ends = [...(b ? [num(b.lo), num(b.hi)] : []), ...(dv.length ? [dv[0][0], dv[dv.length - 1][0]] : [])];
    const dist: Distribution = {
      n: num(b?.n) + (prefix.at(-1) ?? 0),
      min: ends.length ? Math.min(...ends) : 0,
      max: ends.length ? Math.max(...ends) : 0,
      async countLE(vs) {
        const rows = await queryRows<{ c: number }>(
          tx,
          sql`select coalesce((select bm.below + bm.n from metric_rfm_base_m bm where bm.merchant_id = ${M} and bm.bucket = ${bucket} and bm.spend <= x.v::bigint
                               order by bm.spend desc limit 1), 0)::bigint as c
              from jsonb_array_elements_text(${JSON.stringify(vs)}::jsonb) with ordinality x(v, i) order by x.i`,
        );
        return rows.map((r, i) => num(r.c) + deltaLE(vs[i]));
      },
      async range(lo, hi) {
        const rows = await queryRows<{ v: number; n: number }>(
          tx,
          sql`select spend as v, n from metric_rfm_base_m where merchant_id = ${M} and bucket = ${bucket} and spend between ${lo} and ${hi}`,
        );
        const m = new Map<number, number>(rows.map((r) => [num(r.v), num(r.n)]));
        for (const [v, c] of dv) if (v >= lo && v <= hi) m.set(v, (m.get(v) ?? 0) + c);
        return [...m].filter(([, c]) => c !== 0).sort((x, y) => x[0] - y[0]);
      },
    };
    const spend = await buildSummary(dist, K);
    await tx.execute(sql`
      insert into metric_open_rfm (merchant_id, bucket, through_date, open_date, base_written_at, joint, spend)
      values (${M}, ${bucket}, ${T}::date, ${D}::date, ${state.w}::timestamptz, ${JSON.stringify([...joint.values()].filter((c) => c[2] !== 0))}::jsonb, ${JSON.stringify(spend)}::jsonb)`);
  }
}

/**
 * The rfm answer at the end of the open day D for `bucket`, from its summary plus the 'rf' / 'rm'
 * corrections of the keys logged since (open-day.ts openCorrections); null when there is no summary
 * for T and D or a spend boundary left its window (then ask the raw function).
 */
export async function rfmAtOpenDay(
  db: Db,
  M: string,
  bucket: string,
  T: string,
  D: string,
  corrections: { kind: string; d: string; k: string; n: number }[],
): Promise<Rfm | null> {
  const [row] = await queryRows<{ joint: unknown; spend: unknown }>(
    db,
    // Only a summary built on the base as it is now (a rollup refresh that rewrote it since — after a
    // backdated event — makes the summary's base part stale until the open day's next refresh).
    sql`select r.joint, r.spend from metric_open_rfm r
        join metric_rfm_base_state b on b.merchant_id = r.merchant_id and b.through_date = r.through_date and b.written_at = r.base_written_at
        where r.merchant_id = ${M} and r.bucket = ${bucket} and r.through_date = ${T}::date and r.open_date = ${D}::date`,
  );
  if (!row) return null;
  const parse = <X>(v: unknown): X => (typeof v === "string" ? (JSON.parse(v) as X) : (v as X));
  const wsD = rfmWindowStart(D);
  const joint = new Map<string, [number, number, number]>();
  for (const [d, k, n] of parse<[number, number, number][]>(row.joint)) joint.set(`${d}|${k}`, [d, k, n]);
  const spendCorr: [number, number][] = [];
  for (const c of corrections)
    if (c.kind === "rf") {
      const d = offset(c.d, wsD);
      const k = Number(c.k);
      const cell = joint.get(`${d}|${k}`) ?? [d, k, 0];
      cell[2] += c.n;
      joint.set(`${d}|${k}`, cell);
    } else if (c.kind === "rm") spendCorr.push([Number(c.k), c.n]);
  const m = scoresFromSummary(parse<QuantileSummary>(row.spend), spendCorr);
  if (!m) return null;
  const { members, grid } = gridFromJoint(joint.values());
  return { members, grid, m };
}

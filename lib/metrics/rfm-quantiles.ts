/*
 * Order statistics for RFM quintile scores (lib/metrics/rfm.ts: score = 1 + floor(5·(rank − 1)/n),
 * rank = 1 + #members strictly worse), without ranking every member.
 *
 * For a value v let L(v) = #{values < v}. score(v) ≥ s ⇔ 5·L(v) ≥ (s − 1)·n ⇔ L(v) ≥ q_s with
 * q_s = ceil((s − 1)·n / 5); and L(x) ≥ q (q ≥ 1) ⇔ x > w_q, the q-th smallest value (1-based). So
 * #members with score ≥ s = n − C(w_{q_s}) with C(v) = #{values ≤ v} (q_s = 0: all n): the five
 * counts need only the four values w_{q_2..5} and the counts up to them.
 *
 * The open day keeps, per bucket, n and for each boundary s a window of the distribution around rank
 * q_s — every value in a value range [lo, hi] with its full count, and the count below lo — so a
 * reader can add the changes of the members logged since (corrections) and still find each boundary
 * exactly, or see that it moved outside the window (then it falls back). With ranks q_s ± K covered
 * and c members corrected, a boundary stays inside when 2c ≤ K (docs/dashboards.md).
 * Pure: no SQL here (the distribution is an injected oracle); tests/unit/rfm-quantiles.test.ts.
 */

/** q_s for s = 2..5 (index s − 2): ceil((s − 1)·n / 5), in integers. */
export function quintileRanks(n: number): number[] {
  return [1, 2, 3, 4].map((k) => Math.floor((k * n + 4) / 5));
}

/** score(x) for each x of `values` by the definition (1 + floor(5·#{y < x}/n)): the reference the tests compare with. */
export function scoresBySort(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const below = (x: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((x) => 1 + Math.floor((5 * below(x)) / n));
}

/** Members per score 1..5 (index s − 1) of a multiset given as (value, count) pairs, by the definition. */
export function scoreCounts(hist: Iterable<readonly [number, number]>): number[] {
  const entries = [...hist].filter(([, c]) => c !== 0).sort((a, b) => a[0] - b[0]);
  const n = entries.reduce((s, [, c]) => s + c, 0);
  const out = [0, 0, 0, 0, 0];
  let below = 0;
  for (const [, c] of entries) {
    out[Math.floor((5 * below) / n)] += c;
    below += c;
  }
  return out;
}

/** A range [lo, hi] of values (null: unbounded on that side) with every value in it and its count, and the count below lo. */
export interface QuantileWindow {
  lo: number | null;
  hi: number | null;
  below: number;
  /** (value, count > 0), ascending, all within [lo, hi]. */
  values: [number, number][];
}

/** n and, for s = 2..5 (index s − 2), the window around rank q_s. */
export interface QuantileSummary {
  n: number;
  windows: QuantileWindow[];
}

/** The distribution the summary is built from (at refresh: the base at T plus the open day's delta). */
export interface Distribution {
  n: number;
  /** Bounds of the values: min ≤ every value ≤ max (any when n = 0). */
  min: number;
  max: number;
  /** C(v) = #{values ≤ v} for each v. */
  countLE(vs: number[]): Promise<number[]>;
  /** The (value, count > 0) pairs with lo ≤ value ≤ hi, ascending. */
  range(lo: number, hi: number): Promise<[number, number][]>;
}

/**
 * The r-th smallest values (1 ≤ r ≤ n) for each of `ranks`: a k-ary search over the integer values
 * (each round asks C at up to arity − 1 pivots per rank, in one call).
 */
export async function kthSmallest(dist: Distribution, ranks: number[], arity = 64): Promise<number[]> {
  // Invariant: C(lo) < r ≤ C(hi), so the answer is in (lo, hi].
  const st = ranks.map(() => ({ lo: dist.min - 1, hi: dist.max }));
  for (;;) {
    const pivots: { i: number; v: number }[] = [];
    for (const [i, x] of st.entries()) {
      const span = x.hi - x.lo;
      if (span <= 1) continue;
      const seen = new Set<number>();
      for (let j = 1; j < arity; j++) {
        const v = x.lo + Math.ceil((j * span) / arity);
        if (v > x.lo && v < x.hi && !seen.has(v)) {
          seen.add(v);
          pivots.push({ i, v });
        }
      }
    }
    if (!pivots.length) return st.map((x) => x.hi);
    const counts = await dist.countLE(pivots.map((p) => p.v));
    // Pivots of a rank are ascending: the last below r raises lo, the first at or above r lowers hi.
    for (const [j, p] of pivots.entries()) {
      const x = st[p.i];
      if (counts[j] < ranks[p.i]) {
        if (p.v > x.lo) x.lo = p.v;
      } else if (p.v < x.hi) x.hi = p.v;
    }
  }
}

/** The summary of `dist`: each window covers the ranks q_s − K .. q_s + K (unbounded where that reaches 1 or n). */
export async function buildSummary(dist: Distribution, K: number, arity = 64): Promise<QuantileSummary> {
  const n = dist.n;
  if (n === 0) return { n, windows: [0, 1, 2, 3].map(() => ({ lo: null, hi: null, below: 0, values: [] })) };
  const qs = quintileRanks(n);
  const lows = qs.map((q) => q - K);
  const highs = qs.map((q) => q + K);
  const ranks = [...lows.filter((r) => r > 1), ...highs.filter((r) => r < n)];
  const found = await kthSmallest(dist, ranks, arity);
  const at = new Map(ranks.map((r, i) => [r, found[i]]));
  const los = lows.map((r) => (r > 1 ? (at.get(r) as number) : null));
  const his = highs.map((r) => (r < n ? (at.get(r) as number) : null));
  const belowAt = await dist.countLE(los.map((lo) => (lo === null ? dist.min - 1 : lo - 1)));
  const windows: QuantileWindow[] = [];
  for (let i = 0; i < 4; i++) {
    const lo = los[i];
    const hi = his[i];
    windows.push({ lo, hi, below: lo === null ? 0 : belowAt[i], values: await dist.range(lo ?? dist.min, hi ?? dist.max) });
  }
  return { n, windows };
}

/**
 * Members per monetary score 1..5 after adding `corrections` — (value, ±count) of the members changed
 * since the summary: −1 at a member's old value, +1 at the new one — or null when a boundary falls
 * outside its window (the caller then answers another way).
 */
export function scoresFromSummary(summary: QuantileSummary, corrections: readonly (readonly [number, number])[]): number[] | null {
  const n = summary.n + corrections.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return [0, 0, 0, 0, 0];
  const qs = quintileRanks(n);
  const atLeast = [n, 0, 0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    const w = summary.windows[i];
    let below = w.below;
    const counts = new Map(w.values);
    for (const [v, c] of corrections) {
      if (w.lo !== null && v < w.lo) below += c;
      else if (w.hi === null || v <= w.hi) counts.set(v, (counts.get(v) ?? 0) + c);
    }
    const q = qs[i];
    let cum = below;
    let found = false;
    if (q > below)
      for (const [, c] of [...counts].sort((a, b) => a[0] - b[0])) {
        cum += c;
        if (cum >= q) {
          found = true;
          break;
        }
      }
    if (!found) return null;
    atLeast[i + 1] = n - cum;
  }
  return [0, 1, 2, 3, 4].map((s) => atLeast[s] - atLeast[s + 1]);
}

/**
 * The R × F grid (grid[r − 1][f − 1]) of a joint histogram (r value, f value, count): each score
 * from the marginal counts strictly below the value. Exact.
 */
export function gridFromJoint(joint: Iterable<readonly [number, number, number]>): { members: number; grid: number[][] } {
  const cells = [...joint].filter(([, , c]) => c !== 0);
  const n = cells.reduce((s, [, , c]) => s + c, 0);
  const grid = Array.from({ length: 5 }, () => Array<number>(5).fill(0));
  if (n === 0) return { members: 0, grid };
  const scoreOf = (idx: 0 | 1) => {
    const marg = new Map<number, number>();
    for (const c of cells) marg.set(c[idx], (marg.get(c[idx]) ?? 0) + c[2]);
    const out = new Map<number, number>();
    let below = 0;
    for (const [v, c] of [...marg].sort((a, b) => a[0] - b[0])) {
      out.set(v, 1 + Math.floor((5 * below) / n));
      below += c;
    }
    return out;
  };
  const r = scoreOf(0);
  const f = scoreOf(1);
  for (const [a, b, c] of cells) grid[(r.get(a) as number) - 1][(f.get(b) as number) - 1] += c;
  return { members: n, grid };
}

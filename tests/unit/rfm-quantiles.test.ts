import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildSummary, gridFromJoint, kthSmallest, quintileRanks, scoreCounts, scoresBySort, scoresFromSummary, type Distribution } from "@/lib/metrics/rfm-quantiles";

/*
 * The order-statistics route for RFM scores against a direct sort-and-rank of the members' values
 * (score = 1 + floor(5·#{strictly less}/n), lib/metrics/rfm.ts), over random multisets with ties,
 * tiny and empty populations, huge tie groups, members changed, added and removed after the summary
 * (corrections, on and across the windows' edges) and windows small enough to fall back.
 */

/** Members per score by sorting every member's value (the definition, member by member). */
function bySort(values: number[]): number[] {
  const out = [0, 0, 0, 0, 0];
  for (const s of scoresBySort(values)) out[s - 1] += 1;
  return out;
}

/** An in-memory distribution of `values`, counting the oracle's calls. */
function memDist(values: number[]): Distribution & { calls: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const d = {
    calls: 0,
    n: sorted.length,
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
    async countLE(vs: number[]) {
      d.calls += 1;
      return vs.map((v) => sorted.filter((x) => x <= v).length);
    },
    async range(lo: number, hi: number) {
      const m = new Map<number, number>();
      for (const x of sorted) if (x >= lo && x <= hi) m.set(x, (m.get(x) ?? 0) + 1);
      return [...m];
    },
  };
  return d;
}

// Values from a small domain (many ties) or a wide one, sometimes one value repeated a lot.
const value = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.integer({ min: -1_000_000, max: 5_000_000 }), fc.constant(7));
const member = fc.option(value, { nil: null, freq: 4 });

describe("rfm quantiles", () => {
  it("quintileRanks is ceil((s − 1)·n/5)", () => {
    fc.assert(fc.property(fc.nat(10_000_000), (n) => {
        expect(quintileRanks(n)).toEqual([1, 2, 3, 4].map((k) => Math.ceil((k * n) / 5)));
      }),
    );
  });

  it("scoreCounts of a histogram = sorting the members", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 80 }), (xs) => {
        const h = new Map<number, number>();
        for (const x of xs) h.set(x, (h.get(x) ?? 0) + 1);
        expect(scoreCounts(h)).toEqual(bySort(xs));
      }),
    );
    expect(bySort([5, 5, 5, 5, 5, 5])).toEqual([6, 0, 0, 0, 0]);
    expect(bySort([1, 2, 3, 4, 5])).toEqual([1, 1, 1, 1, 1]);
    expect(bySort([1, 2])).toEqual([1, 0, 1, 0, 0]);
  });

  it("kthSmallest = the sorted array's r-th value, with any arity", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 60 }), fc.integer({ min: 2, max: 70 }), fc.context(), async (xs, arity, ctx) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const ranks = sorted.map((_, i) => i + 1);
        const d = memDist(xs);
        ctx.log(`calls ${d.calls}`);
        expect(await kthSmallest(d, ranks, arity)).toEqual(sorted);
      }),
    );
  });

  it("the summary plus corrections gives the sort's monetary counts, or null; never null when 2 × corrected members ≤ K", async () => {
    let fellBack = 0;
    let patched = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(member, { maxLength: 70 }),
        fc.array(fc.tuple(fc.nat(), member), { maxLength: 12 }),
        fc.integer({ min: 0, max: 12 }),
        async (atRefresh, changes, K) => {
          const d = atRefresh.filter((x): x is number => x !== null);
          const summary = await buildSummary(memDist(d), K, 4);
          // Changes after the refresh: existing members (index into atRefresh) or new ones.
          const now = [...atRefresh];
          const touched = new Set<number>();
          for (const [i, v] of changes) {
            const j = now.length && i % 3 !== 0 ? i % now.length : now.length;
            if (j === now.length) now.push(null);
            now[j] = v;
            touched.add(j);
          }
          const corrections: [number, number][] = [];
          for (const j of touched) {
            const before = j < atRefresh.length ? atRefresh[j] : null;
            if (before !== null) corrections.push([before, -1]);
            if (now[j] !== null) corrections.push([now[j] as number, 1]);
          }
          const expected = bySort(now.filter((x): x is number => x !== null));
          const got = scoresFromSummary(summary, corrections);
          if (got === null) fellBack++;
          else patched++;
          if (got !== null) expect(got).toEqual(expected);
          if (2 * touched.size <= K) expect(got).not.toBeNull();
        },
      ),
      { numRuns: 400 },
    );
    // Both outcomes happen (else the property would not test the fallback or the patch).
    expect(fellBack).toBeGreaterThan(0);
    expect(patched).toBeGreaterThan(0);
  });

  it("a boundary's tie group across the window's edge, and corrections at the edge", async () => {
    // 100 members: 0..39 once each, then 60 × 50 (one tie group holding ranks 41..100).
    const xs = [...Array.from({ length: 40 }, (_, i) => i), ...Array<number>(60).fill(50)];
    const summary = await buildSummary(memDist(xs), 2);
    // q = 20, 40, 60, 80: the last two boundaries fall inside the tie group.
    expect(scoresFromSummary(summary, [])).toEqual(bySort(xs));
    // One member of the group leaves for just below a window's lower edge, another one joins at 39.
    const w = summary.windows[1];
    expect(w.lo).toBe(37);
    expect(scoresFromSummary(summary, [[50, -1], [36, 1]])).toEqual(bySort([...xs.slice(0, 99), 36]));
    expect(scoresFromSummary(summary, [[50, -1], [37, 1]])).toEqual(bySort([...xs.slice(0, 99), 37]));
    // Removing a value entirely (its count drops to 0 inside the window).
    expect(scoresFromSummary(summary, [[39, -1]])).toEqual(bySort(xs.filter((x) => x !== 39)));
    // Many members below the window: the second boundary leaves it (K = 2): null, not a wrong answer.
    expect(scoresFromSummary(summary, [[-5, 1], [-6, 1], [-7, 1], [-8, 1], [-9, 1], [-10, 1]])).toBeNull();
  });

  it("empty and tiny populations", async () => {
    expect(scoresFromSummary(await buildSummary(memDist([]), 3), [])).toEqual([0, 0, 0, 0, 0]);
    // Empty at refresh, members since: the windows are unbounded.
    expect(scoresFromSummary(await buildSummary(memDist([]), 3), [[4, 1], [2, 1]])).toEqual(bySort([4, 2]));
    for (const xs of [[3], [3, 3], [1, 2], [2, 1, 3], [-4, 9, 9, 0]]) {
      const s = await buildSummary(memDist(xs), 1);
      expect(scoresFromSummary(s, [])).toEqual(bySort(xs));
      // Everyone leaves.
      expect(scoresFromSummary(s, xs.map((x) => [x, -1] as [number, number]))).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it("gridFromJoint = R and F scores by sorting each member", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 6 })), { maxLength: 80 }), (ms) => {
        const r = scoresBySort(ms.map((m) => m[0]));
        const f = scoresBySort(ms.map((m) => m[1]));
        const grid = Array.from({ length: 5 }, () => Array<number>(5).fill(0));
        for (let i = 0; i < ms.length; i++) grid[r[i] - 1][f[i] - 1] += 1;
        const joint = new Map<string, [number, number, number]>();
        for (const [a, b] of ms) {
          const k = `${a}|${b}`;
          const x = joint.get(k) ?? [a, b, 0];
          x[2] += 1;
          joint.set(k, x);
        }
        expect(gridFromJoint(joint.values())).toEqual({ members: ms.length, grid });
      }),
    );
  });
});

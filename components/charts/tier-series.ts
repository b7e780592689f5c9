/** Colours for tiers without a colour of their own, or whose colour an earlier tier already has. */
const spare = ["#94a3b8", "#0ea5e9", "#f59e0b", "#8b5cf6", "#10b981", "#f43f5e", "#14b8a6", "#64748b"];

/**
 * The tiers of a tier chart, in rank order (the program's order, entry tier first; codes the data
 * has that the program no longer names go last), each in its own colour: the tier's colour from
 * the program, unless an earlier tier has the same one (then a spare colour), so no two stacked
 * bars look alike.
 */
export function tierSeries(tiers: { code: string; name: string; color?: string }[], found: string[]) {
  const known = tiers.map((t) => ({ code: t.code, name: t.name, color: t.color }));
  const extra = found.filter((c) => !tiers.some((t) => t.code === c)).map((code) => ({ code, name: code, color: undefined as string | undefined }));
  const used = new Set<string>();
  return [...known, ...extra].map((t, rank) => {
    let color = t.color?.toLowerCase();
    if (!color || used.has(color)) color = spare.find((c) => !used.has(c)) ?? spare[rank % spare.length];
    used.add(color);
    return { code: t.code, name: t.name, color, rank };
  });
}

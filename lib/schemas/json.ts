import type { z } from "zod";
import { isUnsafeText, UNSAFE_TEXT_MESSAGE } from "./text";

/**
 * How deep one event may nest, counting the event object as level 1 (its `data` is level 2). Deeper
 * JSON is refused when the request is parsed: copying or hashing it recurses once per level, and
 * ~5,000 levels (10 KB of brackets) overflowed the stack of the hand-off to the engine thread.
 */
export const MAX_EVENT_DEPTH = 32;

/**
 * The path (below `value`) of the first container nested deeper than `max` levels, `value` itself
 * being level 1; null when none is. Iterative, so any depth is measured without using the stack.
 */
export function tooDeepAt(value: unknown, max: number): (string | number)[] | null {
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: value, depth: 1, path: [] }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > max) return path;
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) if (x !== null && typeof x === "object") stack.push({ v: x, depth: depth + 1, path: [...path, k] });
  }
  return null;
}

/**
 * Checks free-form JSON (the parts of an event the schema does not name): no container deeper than
 * `maxDepth` levels (the value itself being level 1) and no key or string the database would
 * refuse (a NUL or a lone surrogate). Adds one issue at the first offending place.
 */
export function checkFreeJson(value: unknown, ctx: z.RefinementCtx, maxDepth: number) {
  const deep = tooDeepAt(value, maxDepth);
  if (deep) return void ctx.addIssue({ code: "custom", path: deep, message: `nested too deep (at most ${MAX_EVENT_DEPTH} levels in an event)` });
  // Bounded by maxDepth now, so plain recursion is safe.
  const walk = (v: unknown, path: (string | number)[]): boolean => {
    if (typeof v === "string") {
      if (!isUnsafeText(v)) return true;
      ctx.addIssue({ code: "custom", path, message: UNSAFE_TEXT_MESSAGE });
      return false;
    }
    if (v === null || typeof v !== "object") return true;
    if (Array.isArray(v)) return v.every((x, i) => walk(x, [...path, i]));
    return Object.entries(v).every(([k, x]) => {
      if (!isUnsafeText(k)) return walk(x, [...path, k]);
      ctx.addIssue({ code: "custom", path, message: `a key ${UNSAFE_TEXT_MESSAGE}` });
      return false;
    });
  };
  walk(value, []);
}

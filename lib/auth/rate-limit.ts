/**
 * Failed sign-ins per key (email and client address) in a sliding window. In-process: the app runs
 * as one process (PGlite allows no other), and a restart forgetting the count is acceptable.
 */
const WINDOW_MS = 15 * 60_000;
/** Per account a handful; per address more, since an office shares one. */
const limitOf = (key: string) => (key.startsWith("ip:") ? 30 : 5);
const failures = new Map<string, number[]>();

function recent(key: string, now: number) {
  const list = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  failures.set(key, list);
  return list;
}

export function isLocked(keys: string[], now = Date.now()) {
  return keys.some((k) => recent(k, now).length >= limitOf(k));
}

export function recordFailure(keys: string[], now = Date.now()) {
  for (const k of keys) recent(k, now).push(now);
}

export function clearFailures(keys: string[]) {
  for (const k of keys) failures.delete(k);
}

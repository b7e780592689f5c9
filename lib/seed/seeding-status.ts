/**
 * The first start's demo history seeding, as this server process sees it: it runs in the
 * background after the server starts serving (instrumentation-node.ts), and the sign-in page and
 * the console show its progress (GET /api/seeding) until it is done. Kept on globalThis: the
 * instrumentation and the route handlers are separate bundles in one process.
 */
export interface SeedingStatus {
  state: "running" | "done" | "failed";
  /** Days of history fed through the engine so far, of `days`. */
  daysDone: number;
  days: number;
  /** The business date reached. */
  date: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const holder = globalThis as unknown as { __memberConsoleSeeding?: SeedingStatus };

/** Null when this process seeds nothing (not a first start, or no demo history wanted). */
export const seedingStatus = (): SeedingStatus | null => holder.__memberConsoleSeeding ?? null;

export function seedingStarted(now = new Date()) {
  holder.__memberConsoleSeeding = { state: "running", daysDone: 0, days: 0, date: null, startedAt: now.toISOString(), finishedAt: null };
}

export function seedingProgress(daysDone: number, days: number, date: string) {
  const s = holder.__memberConsoleSeeding;
  if (s) Object.assign(s, { daysDone, days, date });
}

export function seedingFinished(ok: boolean, now = new Date()) {
  const s = holder.__memberConsoleSeeding;
  if (s) Object.assign(s, { state: ok ? "done" : "failed", finishedAt: now.toISOString() });
}

/** Whole percent done; the last percent waits for the KPI aggregates at the end. */
export const seedingPercent = (s: Pick<SeedingStatus, "state" | "daysDone" | "days">) =>
  s.state === "done" ? 100 : s.days > 0 ? Math.min(99, Math.floor((s.daysDone / s.days) * 100)) : 0;

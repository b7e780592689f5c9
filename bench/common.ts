// Helpers shared by the benchmarks (bench/*.ts).
import postgres from "postgres";

/** A numeric command-line flag `--name N` (underscores allowed: 1_000_000), or the fallback. */
export function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1].replace(/_/g, "")) : fallback;
}

/** console.log with the time of day. */
export const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Creates the database the URL names when it does not exist (through the server's `postgres` database). */
export async function ensureDatabase(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = "/postgres";
  const admin = postgres(u.toString(), { max: 1, onnotice: () => {} });
  const [row] = await admin`select 1 as x from pg_database where datname = ${name}`;
  if (!row) await admin.unsafe(`create database "${name}"`);
  await admin.end();
}

/** Runs f and logs how long it took. */
export async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  log(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

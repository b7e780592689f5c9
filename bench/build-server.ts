// The benchmark's own server build: a copy of the app with the four calibration routes of
// bench/routes/ added, so `next build` of the product never contains them (bench/insert is an
// unauthenticated write). The copy is the same sources, config and start script, built and served
// the same way, so its ceilings measure the product's server, plus four files.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey } from "@/lib/tenancy/api-keys";

/** Top-level entries the server build does not need (or that are this checkout's own state). */
const SKIP = new Set(["node_modules", ".next", ".git", ".ci", "bench", "tests", "e2e", "docs", "test-results", "playwright-report", ".scratch", "tmp", "tsconfig.tsbuildinfo"]);

const copy = (from: string, to: string) => fs.cpSync(from, to, { recursive: true, preserveTimestamps: true, force: true });

/**
 * Lays out the bench server's tree (a directory of its own per checkout, kept between runs) and
 * builds it when its sources changed: file times are kept, so scripts/start.mjs's fingerprint sees
 * an unchanged copy as built. Returns the directory; serve it with its own scripts/start.mjs.
 */
export function prepareBenchServer(root = process.cwd()): string {
  const dir = path.join(os.tmpdir(), `member-console-bench-${crypto.createHash("sha256").update(root).digest("hex").slice(0, 12)}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const e of fs.readdirSync(dir)) if (!SKIP.has(e) && !e.startsWith(".data")) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
  for (const e of fs.readdirSync(root)) if (!SKIP.has(e) && !e.startsWith(".data")) copy(path.join(root, e), path.join(dir, e));
  copy(path.join(root, "bench", "routes", "app"), path.join(dir, "app"));
  copy(path.join(root, "bench", "routes", "pages"), path.join(dir, "pages"));
  if (!fs.existsSync(path.join(dir, "node_modules"))) fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  const r = spawnSync(process.execPath, [path.join(dir, "scripts", "start.mjs"), "--build-only"], { cwd: dir, stdio: "inherit", env: benchEnv() });
  if (r.status !== 0) throw new Error(`the bench server's build failed (${dir})`);
  return dir;
}

/**
 * This process's environment for the server, without NODE_OPTIONS: tsx puts its loader there, and a
 * server running under the loader's hooks answers about 7× slower (measured: 152 vs 1,094
 * requests/s for constant JSON).
 */
export function benchEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_OPTIONS" && !k.startsWith("npm_"))) as NodeJS.ProcessEnv;
}

/**
 * Builds (when needed) and starts the bench server on PostgreSQL `dbUrl` at `port` (with `extraEnv`
 * added to its environment), and waits until it answers. `stop()` ends it and its children.
 */
export async function startBenchServer(dbUrl: string, port: number, extraEnv: Record<string, string> = {}): Promise<{ stop: () => void }> {
  const serverDir = prepareBenchServer();
  console.log(`starting the server (npm start in ${serverDir}) on PostgreSQL, port ${port}…`);
  const server = spawn(process.execPath, [path.join(serverDir, "scripts", "start.mjs")], {
    cwd: serverDir,
    env: { ...benchEnv(), DATABASE_URL: dbUrl, PORT: String(port), HOSTNAME: "127.0.0.1", NEXTAUTH_SECRET: "bench", SEED_DEMO_MEMBERS: "0", ...extraEnv },
    stdio: "ignore",
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      /* gone */
    }
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/bench/ping`)).ok) return { stop };
    } catch {
      /* not up */
    }
    if (i > 600) {
      stop();
      throw new Error("server did not start");
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * A fresh PostgreSQL database `name` (dropped first when it exists, on BENCH_ADMIN_URL's server),
 * migrated, with a merchant on the demo program and an API key for it.
 */
export async function freshBenchMerchant(name: string) {
  const adminUrl = process.env.BENCH_ADMIN_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres";
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const setup = await openDatabase({ url: dbUrl });
  const merchant = await createMerchant(setup.db, { slug: "bench", name: "Bench", demoProgram: true });
  const { key } = await createApiKey(setup.db, merchant.id, { name: "bench" });
  await setup.close();
  return { dbUrl, merchantId: merchant.id, key };
}

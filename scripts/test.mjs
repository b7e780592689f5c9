// `npm test`: lint, types, unit + integration (PGlite, and PostgreSQL when TEST_DATABASE_URL is set),
// a production build, the Playwright suite, and the shared API conformance smoke test against a
// started server. Runs every step, then prints one summary line; exits non-zero if any failed.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const results = [];

function step(name, cmd, args, extraEnv = {}) {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(" ")}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  const ok = r.status === 0;
  results.push({ name, ok, s: ((Date.now() - t) / 1000).toFixed(0) });
  return ok;
}

step("lint", bin("eslint"), [".", "--max-warnings=0"]);
step("types", bin("tsc"), ["--noEmit"]);
if (!env.TEST_DATABASE_URL) console.log("\n(TEST_DATABASE_URL is not set: integration tests run on PGlite only)");
step("unit+integration", bin("vitest"), ["run"]);
// Builds unless the sources are unchanged since the last build (the servers below then serve it).
const built = step("build", process.execPath, ["scripts/start.mjs", "--build-only"]);
if (built) {
  step("e2e", bin("playwright"), ["test"]);
  await smoke();
}
await devServer();

/** Waits for `url` to answer (any status) for up to `seconds`; returns the response or null. */
async function waitFor(url, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(120_000) });
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return null;
}

/** `npm run dev` works: next dev (Turbopack) on a fresh embedded database serves the sign-in page. */
async function devServer() {
  console.log("\n=== dev: next dev, then GET /sign-in");
  const t = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dev-"));
  const port = String(3800 + Math.floor(Math.random() * 100));
  const server = spawn(bin("next"), ["dev", "-p", port, "-H", "127.0.0.1"], {
    env: { ...env, PGLITE_DIR: path.join(dir, "pglite"), SEED_DEMO_MEMBERS: "0", DATABASE_URL: "", NEXTAUTH_SECRET: "dev-secret" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const res = await waitFor(`http://127.0.0.1:${port}/sign-in`, 180);
  const body = res ? await res.text() : "";
  const ok = res?.status === 200 && body.includes("<form");
  if (!ok) console.log(`status ${res?.status ?? "none"}\n${log.slice(-4000)}`);
  else console.log(`sign-in page answered 200 in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  results.push({ name: "dev", ok, s: ((Date.now() - t) / 1000).toFixed(0) });
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

async function smoke() {
  const spec = path.resolve(root, "..", "shared", "conformance", "api-smoke.mjs");
  if (!fs.existsSync(spec)) {
    console.log(`\n(no ${spec}: API smoke test skipped)`);
    return;
  }
  // A fresh embedded database with a merchant and key made by the CLI, then the server on it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smoke-"));
  const dataEnv = { PGLITE_DIR: path.join(dir, "pglite"), SEED_DEMO_MEMBERS: "0", DATABASE_URL: "" };
  const cli = (args) => spawnSync(bin("tsx"), ["cli/index.ts", ...args], { env: { ...env, ...dataEnv }, encoding: "utf8" });
  const made = cli(["merchant", "create", "--slug", "smoke", "--name", "Smoke", "--demo-program"]);
  const key = cli(["apikey", "create", "--merchant", "smoke"]).stdout?.trim().split("\n").at(-1);
  if (made.status !== 0 || !key?.startsWith("mk_")) {
    console.log(made.stderr);
    results.push({ name: "api-smoke", ok: false, s: "0" });
    return;
  }
  const port = String(3300 + Math.floor(Math.random() * 500));
  const server = spawn(process.execPath, ["scripts/start.mjs"], { env: { ...env, ...dataEnv, PORT: port, HOSTNAME: "127.0.0.1", NEXTAUTH_SECRET: "smoke-secret" }, stdio: "ignore", detached: true });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/api/v1/openapi.json`, 60);
  step("api-smoke", process.execPath, [spec], { BASE: base, KEY: key });
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log("\n" + results.map((r) => `${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.s}s)`).join("\n"));
console.log(`steps: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

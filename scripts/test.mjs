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
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/api/v1/openapi.json`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
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

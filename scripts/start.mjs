// `npm start`: build when there is no build, keep a NEXTAUTH_SECRET with the data, then serve.
// Migrations and the first-run seed happen inside the server (instrumentation.ts).
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", AUTH_TRUST_HOST: "true" };
env.NODE_ENV = "production";
// The server stops on SIGTERM itself (lib/jobs/background.ts): background work first reaches a safe point.
env.NEXT_MANUAL_SIG_HANDLE = "1";

// The secret is kept where db/lock.ts's dataDirFiles keeps the lock: in the app's own .data/ for a
// data directory there, else inside PGLITE_DIR itself (never in a shared parent such as /tmp).
function secretFile() {
  const real = (p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  if (!env.PGLITE_DIR) return path.join(root, ".data", "nextauth-secret");
  fs.mkdirSync(path.resolve(env.PGLITE_DIR), { recursive: true });
  const dir = real(env.PGLITE_DIR);
  return path.join(path.dirname(dir) === real(path.join(root, ".data")) ? path.dirname(dir) : dir, "nextauth-secret");
}

if (!env.NEXTAUTH_SECRET) {
  const file = secretFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  env.NEXTAUTH_SECRET = fs.readFileSync(file, "utf8").trim();
}

// The sources a build depends on: their paths and modification times, so a changed checkout rebuilds.
function fingerprint() {
  const parts = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else parts.push(`${path.relative(root, p)}:${fs.statSync(p).mtimeMs}`);
    }
  };
  for (const d of ["app", "pages", "components", "lib", "db", "i18n", "messages", "drizzle"]) walk(path.join(root, d));
  for (const f of ["package-lock.json", "next.config.ts", "instrumentation.ts", "instrumentation-node.ts", "postcss.config.mjs", "tsconfig.json", "scripts/build-worker.mjs"])
    if (fs.existsSync(path.join(root, f))) parts.push(`${f}:${fs.statSync(path.join(root, f)).mtimeMs}`);
  return crypto.createHash("sha256").update(parts.sort().join("\n")).digest("hex");
}

const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const stamp = path.join(root, ".next", "source-fingerprint");
const current = fingerprint();
const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === current;
if (!built || env.FORCE_BUILD === "1") {
  console.log(fs.existsSync(path.join(root, ".next", "BUILD_ID")) ? "The sources changed since the last build: building (next build)…" : "No production build yet: building (next build)…");
  const r = spawnSync(process.execPath, [nextBin, "build", "--webpack"], { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
  await (await import("./build-worker.mjs")).buildEngineWorker();
  fs.writeFileSync(stamp, current);
}

if (process.argv.includes("--build-only")) process.exit(0);

const port = env.PORT ?? "3000";
// A larger young generation: the server allocates a lot of short-lived objects per request, and with
// the default 16 MiB semi-space the scavenger ran often enough to cost ~5% of its CPU per event.
const child = spawn(process.execPath, ["--max-semi-space-size=64", nextBin, "start", "-p", port, ...(env.HOSTNAME ? ["-H", env.HOSTNAME] : [])], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

// The running e2e server's embedded database (playwright.config.ts).
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = path.join(os.tmpdir(), `member-console-e2e-${port}`, "pglite");

/** Runs `node scripts/start.mjs` on `pgliteDir` until it exits (or 60 s pass): its code and output. */
function startSecondServer(pgliteDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port + 1000), HOSTNAME: "127.0.0.1", PGLITE_DIR: pgliteDir, SEED_DEMO_MEMBERS: "0" };
  delete env.NEXTAUTH_SECRET;
  delete env.DATABASE_URL;
  // Its own process group: start.mjs runs `next start` as a child, and a server that does not exit
  // (the bug) is ended with all its processes.
  const child = spawn(process.execPath, ["scripts/start.mjs"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      resolve({ code: null, output });
    }, 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test.describe.configure({ mode: "serial" });

test("a second server on the running server's database exits non-zero with the reason", async () => {
  const { code, output } = await startSecondServer(dataDir);
  expect(code).toBe(1);
  expect(output).toContain(`The embedded database in ${fs.realpathSync(dataDir)} is in use by process`);
});

test("the same through a symlink, with its secret kept inside the data directory", async () => {
  const link = path.join(os.tmpdir(), `member-console-e2e-${port}-link`);
  fs.rmSync(link, { force: true });
  fs.symlinkSync(dataDir, link);
  const parent = path.dirname(fs.realpathSync(dataDir));
  try {
    const { code, output } = await startSecondServer(link);
    expect(code).toBe(1);
    expect(output).toContain("is in use by process");
    expect(fs.existsSync(path.join(fs.realpathSync(dataDir), "nextauth-secret"))).toBe(true);
    expect(fs.existsSync(path.join(parent, "nextauth-secret"))).toBe(false);
  } finally {
    fs.rmSync(link, { force: true });
  }
});

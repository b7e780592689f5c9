import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end suite against the production build (`npm run build` first; scripts/start.mjs builds
 * when there is none). Each run starts its own server on a fresh embedded database.
 * `SCREENSHOTS=1 npx playwright test` instead writes the screenshots in docs/screenshots/.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = path.join(os.tmpdir(), `member-console-e2e-${port}`, "pglite");
const screenshots = process.env.SCREENSHOTS === "1";

export default defineConfig({
  testDir: "e2e",
  testMatch: screenshots ? "screenshots.shots.ts" : "**/*.spec.ts",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Each spec signs in and walks several server-rendered pages on the embedded database; on a loaded
  // 2-core machine two of them took 31-32 s (2026-12-06), over the 30 s default.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium; never `playwright install` (no internet for browser downloads).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    // Delete the data dir first: every run starts from the freshly seeded demo merchant.
    command: `node -e "require('fs').rmSync(process.argv[1], { recursive: true, force: true })" "${dataDir}" && node scripts/start.mjs`,
    url: `${baseURL}/sign-in`,
    reuseExistingServer: false,
    timeout: 600_000, // a first run builds
    stdout: "pipe",
    env: {
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      PGLITE_DIR: dataDir,
      SEED_DEMO_MEMBERS: "0",
      NEXTAUTH_SECRET: "e2e-test-secret-not-for-production-0123456789",
      NEXT_TELEMETRY_DISABLED: "1",
      // e2e/webhooks.spec.ts receives deliveries on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE: "1",
    },
  },
});

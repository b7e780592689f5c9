// Workbench screenshots (docs/screenshots/workbench-*.png) against a running server with demo data:
//   PORT=3203 PGLITE_DIR=/tmp/wb/pglite HOSTNAME=127.0.0.1 DEMO_MEMBERS=300 node scripts/start.mjs
//   WB_BASE=http://127.0.0.1:3203 node scripts/workbench-screenshots.mjs
import { chromium } from "@playwright/test";
const base = process.env.WB_BASE ?? "http://127.0.0.1:3203";
const dir = "docs/screenshots";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
page.on("pageerror", (e) => console.log("pageerror:", e.message.slice(0, 300)));
await page.goto(base + "/sign-in", { timeout: 240000 });
await page.getByLabel("邮箱").fill("owner@demo.local");
await page.getByLabel("密码").fill("demo-2026-console");
await page.getByRole("button", { name: "登录", exact: true }).click();
await page.waitForURL(base + "/", { timeout: 120000 });
page.on("dialog", (d) => d.accept());
await page.goto(base + "/points");
await page.locator("#points-checkIn").fill("15");
await page.getByTestId("save-program").click();
await page.getByText("已保存为第 2 版").waitFor();
const shot = (name, full = true) => page.screenshot({ path: `${dir}/workbench-${name}.png`, fullPage: full });
for (const lang of ["zh", "en"]) {
  if (lang === "en") {
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
  }
  await page.goto(base + "/tiers");
  // The tier editor with a retention rule per tier (gold re-qualifies every 12 months; not saved).
  await page.locator("#t2-retention").selectOption("requalify");
  await page.locator("#t2-retention-months").fill("12");
  // Tall enough for the whole tier list between the top bar and the save bar.
  await page.setViewportSize({ width: 1280, height: 1560 });
  await page.locator("#t2-retention-months").blur();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(`tiers-${lang}`, false);
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(base + "/tiers");
  await page.locator("#t1-th0-value").fill("2000");
  await page.locator("#t2-th0-value").fill("3000");
  await page.getByTestId("run-preview").click();
  await page.getByTestId("preview-table").waitFor();
  await page.getByTestId("preview-panel").scrollIntoViewIfNeeded();
  await shot(`tiers-preview-${lang}`, false);
  await page.goto(base + "/tiers");
  await page.locator("#t2-th0-value").fill("10");
  await page.getByTestId("save-program").click();
  await page.locator('[data-error-for="tiers.2.thresholds.0.value"]').waitFor();
  await shot(`tiers-error-${lang}`, false);
  await page.goto(base + "/rights");
  await page.getByTestId("cell-silver-coupon_90-quantity").fill("2");
  await shot(`rights-${lang}`, false);
  await page.goto(base + "/points");
  await shot(`points-${lang}`, false);
  await page.goto(base + "/campaigns");
  await page.getByTestId("day-" + (await page.getByTestId("calendar").getAttribute("data-month")) + "-10").click();
  await page.getByTestId("campaign-dialog").waitFor();
  await shot(`campaign-dialog-${lang}`, false);
  await page.keyboard.press("Escape");
  await page.goto(base + "/campaigns");
  await shot(`campaigns-${lang}`, false);
  await page.getByRole("button", { name: lang === "zh" ? "列表" : "List" }).click();
  await shot(`campaigns-list-${lang}`, false);
  await page.goto(base + "/automations");
  await shot(`automations-${lang}`, false);
  await page.goto(base + "/settings/program");
  await shot(`settings-program-${lang}`, false);
  await page.goto(base + "/settings/audit");
  await shot(`audit-${lang}`, false);
}
await browser.close();

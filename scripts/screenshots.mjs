// Screenshots of every page, zh-CN and English, at 1440 px (and 820 px for the busiest pages), into
// docs/screenshots/page-*.png, against a running server with the demo merchant:
//   PORT=3300 PGLITE_DIR=/tmp/shots/pglite HOSTNAME=127.0.0.1 node scripts/start.mjs
//   SHOTS_BASE=http://127.0.0.1:3300 node scripts/screenshots.mjs
// A member id can be given with SHOTS_MEMBER (default: the first member of the list).
import { chromium } from "@playwright/test";

const base = process.env.SHOTS_BASE ?? "http://127.0.0.1:3300";
const dir = process.env.SHOTS_DIR ?? "docs/screenshots";
const pages = [
  ["overview", "/"],
  ["dashboard-tiers", "/dashboards/tiers"],
  ["dashboard-points", "/dashboards/points"],
  ["dashboard-rights", "/dashboards/rights"],
  ["dashboard-revenue", "/dashboards/revenue"],
  ["dashboard-lifecycle", "/dashboards/lifecycle"],
  ["members", "/members"],
  ["member", null],
  ["members-import", "/members/import"],
  ["tiers", "/tiers"],
  ["rights", "/rights"],
  ["points", "/points"],
  ["campaigns", "/campaigns"],
  ["automations", "/automations"],
  ["mall", "/mall"],
  ["mall-orders", "/mall/orders"],
  ["outbox", "/outbox"],
  ["settings", "/settings"],
  ["settings-program", "/settings/program"],
  ["settings-users", "/settings/users"],
  ["settings-api-keys", "/settings/api-keys"],
  ["settings-webhooks", "/settings/webhooks"],
  ["settings-audit", "/settings/audit"],
];
const narrow = new Set(["overview", "members", "member", "tiers"]);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
page.on("pageerror", (e) => console.log("pageerror:", e.message.slice(0, 300)));
for (const lang of ["zh-CN", "en"]) {
  await context.addCookies([{ name: "NEXT_LOCALE", value: lang, url: base }]);
  await page.goto(base + "/sign-in", { timeout: 240_000 });
  const short = lang === "en" ? "en" : "zh";
  await page.screenshot({ path: `${dir}/page-sign-in-${short}.png` });
  if (lang === "zh-CN") {
    await page.locator('input[type="email"], input[name="email"]').first().fill("owner@demo.local");
    await page.locator('input[type="password"]').first().fill(process.env.DEMO_PASSWORD ?? "demo-2026-console");
    await page.locator('button[type="submit"]').first().click();
    await page.waitForURL(base + "/", { timeout: 120_000 });
  }
  let memberPath = process.env.SHOTS_MEMBER ? `/members/${process.env.SHOTS_MEMBER}` : null;
  if (!memberPath) {
    await page.goto(base + "/members");
    const href = await page.locator('a[href^="/members/"]:not([href="/members/import"])').first().getAttribute("href");
    memberPath = href;
  }
  for (const [name, path] of pages) {
    const url = base + (path ?? memberPath);
    for (const width of narrow.has(name) ? [1440, 820] : [1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url, { waitUntil: "networkidle", timeout: 120_000 });
      await page.waitForTimeout(300);
      const file = `${dir}/page-${name}-${short}${width === 820 ? "-820" : ""}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
  }
}
await browser.close();

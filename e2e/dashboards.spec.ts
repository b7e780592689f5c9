import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { signIn, unique } from "./helpers";

/** Today's business date in Beijing, and an instant on it. */
function beijingToday() {
  const d = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { date: d, at: (hh: string) => `${d}T${hh}:00+08:00` };
}

/** Three members of our own (ids unique to this run) with orders today, through the engine's events API. */
async function seedMembers(page: Page) {
  const { at } = beijingToday();
  const u = unique();
  const ids = [`m1-${u}`, `m2-${u}`, `m3-${u}`];
  const events = [
    ...ids.map((m, i) => ({ id: `reg-${m}`, type: "member.registered", memberId: m, occurredAt: at(`0${i + 1}:00`), data: { name: `会员${i + 1}` } })),
    { id: `o1-${u}`, type: "order.paid", memberId: ids[0], occurredAt: at("10:00"), data: { orderId: `o1-${u}`, amount: 12_000 } },
    { id: `o2-${u}`, type: "order.paid", memberId: ids[0], occurredAt: at("11:00"), data: { orderId: `o2-${u}`, amount: 8_000 } },
    { id: `o3-${u}`, type: "order.paid", memberId: ids[1], occurredAt: at("12:00"), data: { orderId: `o3-${u}`, amount: 5_000 } },
    { id: `o4-${u}`, type: "order.paid", memberId: null, occurredAt: at("12:30"), data: { orderId: `o4-${u}`, amount: 5_000 } },
  ];
  const res = await page.request.post("/api/v1/events", { data: { events } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { results: { status: string }[] };
  expect(body.results.map((r) => r.status)).toEqual(events.map(() => "applied"));
}

test("a manager reads the overview, changes range and tier, drills into a tier and exports a CSV", async ({ page }) => {
  await signIn(page, "owner");
  await seedMembers(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "概览", level: 1 })).toBeVisible();
  // Our three members at least (parallel tests may add their own); member spend includes our ¥250.00.
  await expect(page.getByTestId("kpi-members-value")).toBeVisible();
  expect(Number((await page.getByTestId("kpi-members-value").innerText()).replace(/,/g, ""))).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId("chart-revenue-share").locator(".recharts-surface").first()).toBeVisible();

  // Range preset → URL and the shown range follow.
  await page.getByRole("button", { name: "近12个月" }).click();
  await expect(page).toHaveURL(/range=12m/);
  const { date } = beijingToday();
  await expect(page.getByTestId("dashboard-range")).toContainText(`~ ${date}`);
  await expect(page.getByLabel("粒度")).toHaveValue("month");

  // Tier filter → URL; the new members are all in the entry tier.
  await page.getByLabel("等级", { exact: true }).selectOption("basic");
  await expect(page).toHaveURL(/tier=basic/);
  await expect(page.getByTestId("kpi-members-value")).not.toHaveText("—");

  // CSV export of a chart: the data drawn, with its header.
  const download = page.waitForEvent("download");
  await page.getByTestId("chart-revenue-share").getByRole("button", { name: /导出/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^revenue-share_.*_basic\.csv$/);
  const csv = await readFile((await file.path())!, "utf8");
  expect(csv.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe("周期,会员消费,非会员消费,会员占比");

  // Drill-down: a tier opens the member list filtered to it.
  await page.getByTestId("drill-tier-basic").click();
  await expect(page).toHaveURL(/\/members\?tier=basic$/);
});

test("metric pages: tabs keep the filters; lifecycle and RFM drill into the member list", async ({ page }) => {
  // Six pages and two drills, each chart computed on the embedded database: past the default 30 s on
  // a loaded 2-core machine (seen in CI-like runs at 31–32 s).
  test.setTimeout(90_000);
  await signIn(page, "owner");
  await seedMembers(page);
  await page.goto("/?range=30d");
  await page.getByRole("navigation", { name: "看板" }).getByRole("link", { name: "生命周期与留存" }).click();
  await expect(page).toHaveURL(/\/dashboards\/lifecycle\?range=30d/);
  await expect(page.getByRole("heading", { name: "生命周期与留存", level: 1 })).toBeVisible();
  await expect(page.getByTestId("chart-retention")).toBeVisible();
  await page.getByTestId("drill-rfm-5-1").click();
  await expect(page).toHaveURL(/\/members\?rfmR=5&rfmF=1$/);
  await page.goBack();
  await page.getByTestId("drill-lifecycle-dormant").click();
  await expect(page).toHaveURL(/\/members\?lifecycle=dormant$/);

  for (const group of ["tiers", "rights", "revenue", "points"]) {
    await page.goto(`/dashboards/${group}`);
    await expect(page.getByTestId("dashboard-filters")).toBeVisible();
    // Every chart settles: drawn or "no data", never stuck loading or failed.
    for (const card of await page.locator("[data-testid^=chart-]").all()) await expect(card.locator("[data-state=loading], [data-state=error]")).toHaveCount(0);
  }
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Points", level: 1 })).toBeVisible();
});

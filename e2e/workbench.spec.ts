import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

// These tests edit the one demo program, so they run one after another.
test.describe.configure({ mode: "serial" });

async function program(page: Page) {
  const res = await page.request.get("/api/v1/program");
  expect(res.ok()).toBe(true);
  return res.json();
}

const thisMonth = () => {
  // The demo merchant's business date (Asia/Shanghai).
  const d = new Date(Date.now() + 8 * 3600_000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1 };
};
const ym = (y: number, m: number) => `${y}-${String(m).padStart(2, "0")}`;
const shift = ({ y, m }: { y: number; m: number }, n: number) => {
  const k = y * 12 + (m - 1) + n;
  return { y: Math.floor(k / 12), m: (k % 12) + 1 };
};

test("the analyst sees every editor read-only", async ({ page }) => {
  await signIn(page, "analyst");
  for (const path of ["/tiers", "/rights", "/points", "/campaigns", "/automations"]) {
    await page.goto(path);
    await expect(page.getByTestId("read-only-note")).toBeVisible();
    await expect(page.getByTestId("save-program")).toHaveCount(0);
    await expect(page.locator("fieldset[disabled]").first()).toBeVisible();
  }
  await page.goto("/automations");
  await expect(page.getByTestId("toggle-winback")).toBeDisabled();
  await page.goto("/tiers");
  await expect(page.getByTestId("add-tier")).toHaveCount(0);
  await expect(page.locator("#t1-zh")).toBeDisabled();
  await page.goto("/points");
  // The example still works for reading: gold ¥258 on the 18th earns 619 (258 × 1.2 × 2).
  await expect(page.getByTestId("example-line")).toContainText("619");
  await page.goto("/settings/program");
  await expect(page.getByTestId("export-program")).toBeVisible();
  await expect(page.getByTestId("import-program")).toHaveCount(0);
  await expect(page.getByTestId("save-settings")).toHaveCount(0);
  await page.goto("/settings/audit");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("operator adds a tier: an invalid threshold is refused with the field named and nothing saved, then it saves", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/tiers");
  await expect(page.getByTestId("program-version")).toContainText("第 1 版");
  await page.getByTestId("add-tier").click();
  const row = page.getByTestId("tier-row-4");
  await row.getByLabel("中文名称").fill("黑金会员");
  await row.getByLabel("英文名称").fill("Black");
  await row.getByLabel("编码").fill("black");
  // A new top tier starts with the rule of the tier below it (diamond: 3 months without an order).
  await expect(row.getByLabel("保级规则")).toHaveValue("inactivity");
  await expect(row.getByLabel("月数")).toHaveValue("3");
  await row.getByLabel("保级规则").selectOption("requalify");
  await row.getByLabel("月数").fill("0");
  // Default threshold: growth ≥ 1,000 — not above diamond's 20,000.
  await page.getByTestId("save-program").click();
  const error = page.locator('[data-error-for="tiers.4.thresholds.0.value"]');
  await expect(error).toHaveText("须大于下一级「钻石会员」的同类门槛 20,000");
  await expect(page.locator('[data-error-for="tiers.4.retention.months"]')).toHaveText("不能小于 1");
  // The list above the form names each field by its label, the tier by its name.
  await expect(page.getByTestId("form-problems")).toContainText("黑金会员 · 门槛：须大于下一级「钻石会员」的同类门槛 20,000");
  await expect(page.getByTestId("form-problems")).toContainText("黑金会员 · 保级规则 · 月数：不能小于 1");
  await expect(page.locator("#t4-th0-value")).toHaveAttribute("aria-invalid", "true");
  expect((await program(page)).tiers).toHaveLength(4);
  // What was typed is still there.
  await expect(row.getByLabel("中文名称")).toHaveValue("黑金会员");

  // Leaving by a sidebar link with unsaved changes asks first; dismissing stays on the page.
  page.once("dialog", (d) => d.dismiss());
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "权益" }).click();
  await expect(page).toHaveURL(/\/tiers$/);
  await expect(row.getByLabel("中文名称")).toHaveValue("黑金会员");

  await page.locator("#t4-th0-value").fill("50000");
  await row.getByLabel("月数").fill("12");
  await page.getByTestId("save-program").click();
  await expect(page.getByTestId("save-status")).toHaveText("已保存为第 2 版，对此后的事件生效。");
  const p = await program(page);
  expect(p.tiers.map((t: { code: string }) => t.code)).toEqual(["basic", "silver", "gold", "diamond", "black"]);
  expect(p.tiers[4].thresholds).toEqual([{ measure: "growth", window: "lifetime", value: 50000 }]);
  expect(p.tiers[4].name).toEqual({ zh: "黑金会员", en: "Black" });
  expect(p.tiers.map((t: { retention: unknown }) => t.retention)).toEqual([
    { kind: "none" },
    { kind: "inactivity", months: 3 },
    { kind: "inactivity", months: 3 },
    { kind: "inactivity", months: 3 },
    { kind: "requalify", months: 12 },
  ]);
});

test("operator edits a matrix cell: the cost estimate changes as they type, leaving the cell saves it; a refused cell is put back", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/rights");
  // Silver: 9折券 1 × ¥15 + 试吃 1 × ¥10 + ¥50 birthday coupon ÷ 12 = ¥29.17 a member a month.
  await expect(page.getByTestId("tier-cost-silver")).toHaveText("¥29.17");
  const qty = page.getByTestId("cell-silver-coupon_90-quantity");
  await qty.fill("3");
  // 3 × ¥15 + ¥10 + ¥4.17 = ¥59.17.
  await expect(page.getByTestId("tier-cost-silver")).toHaveText("¥59.17");
  const cellOf = async (tier: string, right: string) =>
    (await program(page)).matrix.find((c: { tierCode: string; rightCode: string }) => c.tierCode === tier && c.rightCode === right);
  // Going to the preview keeps the cell a draft: the preview shows what it would do, nothing is saved yet.
  await page.getByTestId("run-preview").click();
  await expect(page.getByTestId("preview-table")).toBeVisible();
  await expect(page.getByTestId("preview-row-silver")).toBeVisible();
  expect((await cellOf("silver", "coupon_90")).quantity).toBe(1);
  await expect(page.getByTestId("program-version")).toContainText("第 2 版");
  // Keyboard: down from the silver 9折券 quantity goes to the next right's silver quantity.
  await qty.focus();
  await qty.press("ArrowDown");
  await expect(page.getByTestId("cell-silver-free_shipping-quantity")).toBeFocused();
  // Leaving the cell saved it as version 3 (no Save needed), and the version note follows.
  await expect(page.getByTestId("save-status")).toHaveText("已保存为第 3 版，对此后的事件生效。");
  await expect(page.getByTestId("program-version")).toContainText("第 3 版");
  expect((await cellOf("silver", "coupon_90")).quantity).toBe(3);

  // A value the server refuses (over 40 characters) is put back, with the field named.
  const value = page.getByTestId("cell-gold-tasting-value");
  await value.fill("x".repeat(41));
  await value.press("Tab");
  // Named by its tier and right, and why, in Chinese.
  await expect(page.getByTestId("quick-save-error")).toContainText("金卡会员 · 新品试吃 · 内容最多 40 个字符");
  await expect(value).toHaveValue("");
  expect((await cellOf("gold", "tasting")).value).toBeNull();
  await expect(page.getByTestId("program-version")).toContainText("第 3 版");
});

test("operator creates a recurring campaign on a day and finds it on the following months", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/campaigns");
  const now = thisMonth();
  await expect(page.getByTestId(`day-${ym(now.y, now.m)}-08`)).toContainText("会员日");
  await expect(page.getByTestId(`day-${ym(now.y, now.m)}-18`)).toContainText("积分翻倍日");
  await page.getByTestId(`day-${ym(now.y, now.m)}-10`).click();
  const dialog = page.getByTestId("campaign-dialog");
  await dialog.getByLabel("中文名称").fill("十号福利日");
  await dialog.getByLabel("英文名称").fill("Tenth perks day");
  await dialog.getByLabel("编码").fill("tenth_day");
  await dialog.getByLabel("时间").selectOption("monthlyDay");
  await expect(dialog.getByLabel("每月几号")).toHaveValue("10");
  await dialog.getByLabel("效果").selectOption("bonusPoints");
  await dialog.getByTestId("campaign-apply").click();
  await page.getByTestId("save-program").click();
  await expect(page.getByTestId("save-status")).toContainText("已保存");

  for (let n = 1; n <= 3; n++) {
    await page.getByTestId("next-month").click();
    const { y, m } = shift(now, n);
    await expect(page.getByTestId("calendar")).toHaveAttribute("data-month", ym(y, m));
    await expect(page.getByTestId(`day-${ym(y, m)}-10`)).toContainText("十号福利日");
    await expect(page.getByTestId(`day-${ym(y, m)}-08`)).toContainText("会员日");
    await expect(page.getByTestId(`day-${ym(y, m)}-18`)).toContainText("积分翻倍日");
  }
  await page.getByRole("button", { name: "列表" }).click();
  await expect(page.getByTestId("campaign-row-tenth_day")).toContainText("每月 10 日");
  // Double points day overlaps the birthday-month multiplier: the rule is stated.
  await expect(page.getByTestId("campaign-row-double_points")).toContainText("取最高值");
});

test("a campaign named only in Chinese applies, with its code made from the pinyin and its English name the Chinese", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/campaigns");
  const now = thisMonth();
  await page.getByTestId(`day-${ym(now.y, now.m)}-12`).click();
  const dialog = page.getByTestId("campaign-dialog");
  await expect(dialog.getByTestId("campaign-apply")).toBeDisabled();
  await dialog.getByLabel("中文名称").fill("双倍积分日");
  await expect(dialog.getByTestId("campaign-apply")).toBeEnabled();
  await dialog.getByTestId("campaign-apply").click();
  await page.getByTestId("save-program").click();
  await expect(page.getByTestId("save-status")).toContainText("已保存");
  const saved = (await program(page)).campaigns.find((c: { name: { zh: string } }) => c.name.zh === "双倍积分日");
  expect(saved).toMatchObject({ code: "shuang_bei_ji_fen_ri", name: { zh: "双倍积分日", en: "双倍积分日" } });
});

test("operator switches an automation off: it changes at once and stays off after a reload; a stale page's switch is refused and put back", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/automations");
  const winback = page.getByTestId("toggle-winback");
  await expect(winback).toBeChecked();
  // Hold the save's answer back for a moment: the switch must change before it comes.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/automations", async (route) => {
    if (route.request().method() === "POST") await held;
    await route.continue();
  });
  await winback.click();
  await expect(winback).not.toBeChecked();
  await expect(page.getByTestId("automation-winback")).toContainText("已停用");
  await expect(page.getByTestId("save-status")).toHaveText("保存中…");
  release();
  await expect(page.getByTestId("save-status")).toContainText("已保存为第");
  await page.unroute("**/automations");
  expect((await program(page)).automations.find((a: { code: string }) => a.code === "winback").enabled).toBe(false);
  await page.reload();
  await expect(page.getByTestId("toggle-winback")).not.toBeChecked();

  // Someone else saves the program meanwhile (here over the API): this page is now stale.
  const other = await program(page);
  other.points.checkIn = 12;
  expect((await page.request.put("/api/v1/program", { data: other })).ok()).toBe(true);
  const reminder = page.getByTestId("toggle-points_expiring");
  await reminder.click();
  await expect(page.getByTestId("quick-save-error")).toContainText("方案已被他人修改");
  await expect(reminder).toBeChecked();
  expect((await program(page)).automations.find((a: { code: string }) => a.code === "points_expiring").enabled).toBe(true);
  // The Save button on the stale page is refused too: it would overwrite the other save.
  await page.locator("#a0-en").fill("Expiry reminder");
  await page.getByTestId("save-program").click();
  await expect(page.getByTestId("quick-save-error")).toContainText("方案已被他人修改");
  expect((await program(page)).points.checkIn).toBe(12);
  page.once("dialog", (d) => d.accept()); // leaving with the unsaved name
  // Reloading shows the new version, and the switch saves again.
  await page.getByTestId("reload-program").click();
  await expect(page.getByTestId("quick-save-error")).toHaveCount(0);
  await page.getByTestId("toggle-winback").click();
  await expect(page.getByTestId("save-status")).toContainText("已保存为第");
  expect((await program(page)).automations.find((a: { code: string }) => a.code === "winback").enabled).toBe(true);
  expect((await program(page)).points.checkIn).toBe(12);
});

test("operator exports the program, changes it, and imports it back; a bad file lists every problem and changes nothing", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/settings/program");
  const download = page.waitForEvent("download");
  await page.getByTestId("export-program").click();
  const file = await (await download).path();
  const exported = JSON.parse(fs.readFileSync(file, "utf8"));
  expect(exported).toEqual(await program(page));
  const before = await program(page);

  const bad = structuredClone(exported);
  bad.tiers[1].thresholds[0].value = -5;
  bad.lifecycle.lostDays = 1;
  bad.points.perYuan = "two";
  await page.getByTestId("import-file").setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bad)) });
  // Two errors, each in Chinese with the field's label (the tier by its name) and why it is refused.
  const problems = page.getByTestId("import-problems");
  await expect(problems.locator("li")).toHaveCount(2);
  await expect(problems.locator("li").nth(0)).toHaveText("银卡会员 · 门槛：须大于 0");
  await expect(problems.locator("li").nth(1)).toHaveText("积分 · 每元获得：须为数字（如 50），不能是文字");
  await expect(problems).not.toContainText("tiers.1");
  expect(await program(page)).toEqual(before);

  // A file in the format before per-tier rules: one top-level retention rule, for every tier above
  // the entry tier that has none of its own (black keeps its re-qualification every 12 months).
  const good = structuredClone(exported);
  good.points.perYuan = 2;
  good.retention = { kind: "inactivity", months: 3 };
  for (const t of good.tiers) if (t.code !== "black") delete t.retention;
  await page.getByTestId("import-file").setInputFiles({ name: "good.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(good)) });
  await expect(page.getByTestId("import-done")).toContainText("已导入");
  const imported = await program(page);
  expect(imported.points.perYuan).toBe(2);
  expect(imported.retention).toBeUndefined();
  expect(imported.tiers.map((t: { code: string; retention: unknown }) => [t.code, t.retention])).toEqual([
    ["basic", { kind: "none" }],
    ["silver", { kind: "inactivity", months: 3 }],
    ["gold", { kind: "inactivity", months: 3 }],
    ["diamond", { kind: "inactivity", months: 3 }],
    ["black", { kind: "requalify", months: 12 }],
  ]);
});

test("the owner sees every change in the audit log, filterable", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/settings/audit?action=program.update");
  await expect(page.getByTestId("audit-row").first()).toContainText("operator@demo.local");
  // In words: the action, the section and the field by their labels.
  await expect(page.getByTestId("audit-row").first()).toContainText("修改会员方案");
  await expect(page.getByTestId("audit-row").first().getByTestId("audit-changes")).toContainText(/积分每元获得 \d+ → 2/);
  await expect(page.getByTestId("audit-row").first()).not.toContainText("points.perYuan");
  await page.goto("/settings/audit?actor=nobody-here");
  await expect(page.getByTestId("audit-row")).toHaveCount(0);
});

test("operator offers 0元升级 beside the trial, and the points editor states the expiry rule", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/tiers");
  await page.getByText("开启体验等级").click();
  await page.getByLabel("方式", { exact: true }).selectOption("firstOrderUpgrade");
  await expect(page.getByTestId("start-offer-help")).toContainText("7 天内消费满 1 笔升级金卡");
  await page.getByLabel("注册即享等级").selectOption("silver");
  await page.getByLabel("首单期限（天）").fill("7");
  await page.getByLabel("首单后升级到").selectOption("gold");
  await page.getByTestId("save-program").click();
  await expect(page.getByTestId("save-status")).toContainText("已保存为第");
  expect((await program(page)).trial).toEqual({ tierCode: "silver", days: 7, kind: "firstOrderUpgrade", upgradeTo: "gold" });

  // The demo program's points expire 12 months after they are earned, at the end of that day.
  await page.goto("/points");
  await expect(page.getByTestId("expiry-rule")).toHaveText("积分在获得 12 个月后的同一天结束时过期：2026-06-13 获得的积分可用至 2027-06-13（含当天）。");
});

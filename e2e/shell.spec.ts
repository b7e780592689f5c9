import { expect, test } from "@playwright/test";
import { demo, navEn, navZh, signIn, type DemoRole } from "./helpers";

for (const role of Object.keys(demo) as DemoRole[]) {
  test(`${role} signs in and sees the shell in Chinese`, async ({ page }) => {
    await signIn(page, role);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    const nav = page.getByRole("navigation", { name: "主导航" });
    for (const label of navZh) await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
    await expect(nav.getByRole("link", { name: "概览", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("merchant-name")).toHaveText("演示商户");
    await expect(page.getByTestId("user-name")).toHaveText(demo[role].name);
    await expect(page.getByTestId("user-role")).toHaveText(demo[role].roleZh);
    await expect(page.getByRole("heading", { level: 1, name: "概览" })).toBeVisible();
    await expect(page.getByRole("list", { name: "核心指标" })).toBeVisible();
  });
}

test("every area opens from the sidebar with its placeholder", async ({ page }) => {
  await signIn(page, "operator");
  const nav = page.getByRole("navigation", { name: "主导航" });
  for (const [label, path] of [
    ["会员", "/members"],
    ["等级", "/tiers"],
    ["权益", "/rights"],
    ["积分", "/points"],
    ["活动日历", "/campaigns"],
    ["自动化", "/automations"],
  ]) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page).toHaveURL(path);
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(nav.getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
  }
});

test("switching to English translates the shell, and back", async ({ page }) => {
  await signIn(page, "analyst");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  for (const label of navEn) await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
  await expect(page.getByTestId("user-role")).toHaveText(demo.analyst.roleEn);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Key figures" })).toBeVisible();

  // The choice is remembered across navigations.
  await nav.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "设置" })).toBeVisible();
});

test("the sidebar collapses to icons at tablet width and stays usable", async ({ page }) => {
  await page.setViewportSize({ width: 768, height: 900 });
  await signIn(page, "owner");
  const settings = page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "设置", exact: true });
  await expect(settings).toBeVisible();
  const box = await page.locator("aside").boundingBox();
  expect(box?.width).toBeLessThan(80);
  await settings.click();
  await expect(page.getByRole("heading", { level: 1, name: "设置" })).toBeVisible();
  // Nothing overflows the viewport horizontally.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("keyboard users can skip to the content and reach the navigation", async ({ page }) => {
  await signIn(page, "operator");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "跳到主要内容" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "概览", exact: true })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/members$/);
});

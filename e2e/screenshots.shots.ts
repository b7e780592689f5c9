import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

// `SCREENSHOTS=1 npx playwright test` — the README's pictures, in both languages.
const dir = path.join(process.cwd(), "docs", "screenshots");
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(dir, `${name}.png`) });

async function toEnglish(page: Page) {
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
}

test("sign-in", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByTestId("demo-logins")).toBeVisible();
  await shot(page, "sign-in-zh");
  await toEnglish(page);
  await shot(page, "sign-in-en");
});

test("shell and settings", async ({ page }) => {
  await signIn(page, "owner");
  await shot(page, "shell-zh");
  await page.goto("/settings");
  await shot(page, "settings-zh");
  await page.goto("/settings/users");
  await page.getByTestId("create-user-form").getByRole("button", { name: "添加成员" }).click();
  await expect(page.getByText("密码至少 8 个字符。")).toBeVisible();
  await shot(page, "settings-users-zh");
  await page.goto("/settings/api-keys");
  await page.getByLabel("名称").fill("官方商城");
  await page.getByRole("button", { name: "创建密钥" }).click();
  await expect(page.getByTestId("created-api-key")).toBeVisible();
  await expect(page.getByTestId("api-key-row-官方商城")).toBeVisible();
  await shot(page, "settings-api-keys-zh");
  await page.getByRole("button", { name: "我已保存" }).click();
  await page.getByRole("button", { name: "吊销 官方商城" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await shot(page, "revoke-dialog-zh");
  await page.keyboard.press("Escape");

  await toEnglish(page);
  await page.goto("/");
  await shot(page, "shell-en");
  await page.goto("/settings/users");
  await shot(page, "settings-users-en");
  await page.goto("/settings/api-keys");
  await shot(page, "settings-api-keys-en");
});

test("narrow and forbidden", async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 700 });
  await signIn(page, "analyst");
  await page.goto("/settings/users");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await shot(page, "forbidden-tablet-zh");
});

test("workbench on an empty merchant", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/tiers");
  await page.getByTestId("run-preview").click();
  await expect(page.getByTestId("preview-table")).toBeVisible();
  await page.getByTestId("preview-panel").scrollIntoViewIfNeeded();
  await shot(page, "workbench-empty-tiers-preview-zh");
  await page.goto("/automations");
  await shot(page, "workbench-empty-automations-zh");
  await toEnglish(page);
  await page.goto("/tiers");
  await page.getByTestId("run-preview").click();
  await expect(page.getByTestId("preview-table")).toBeVisible();
  await page.getByTestId("preview-panel").scrollIntoViewIfNeeded();
  await shot(page, "workbench-empty-tiers-preview-en");
  await page.goto("/automations");
  await shot(page, "workbench-empty-automations-en");
});

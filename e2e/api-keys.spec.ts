import { expect, test } from "@playwright/test";
import { signIn, unique } from "./helpers";

test("the owner creates an API key, sees it once, and revokes it", async ({ page }) => {
  const name = `e2e-key-${unique()}`;
  await signIn(page, "owner");
  await page.goto("/settings/api-keys");

  const form = page.getByTestId("create-api-key-form");
  await form.getByLabel("名称").fill(name);
  await form.getByRole("button", { name: "创建密钥" }).click();

  const created = page.getByTestId("created-api-key");
  await expect(created).toContainText(`密钥「${name}」已创建`);
  await expect(created.getByRole("alert")).toContainText("只显示这一次");
  const key = await created.getByLabel("API 密钥").inputValue();
  expect(key).toMatch(/^mk_[A-Za-z0-9_-]{20,}$/);

  const row = page.getByTestId(`api-key-row-${name}`);
  await expect(row).toContainText(`${key.slice(0, 10)}…`);
  await expect(row).toContainText("从未");
  await expect(row).toContainText("有效");

  // Dismissed, the key is gone for good: not on the page, not after a reload.
  await created.getByRole("button", { name: "我已保存" }).click();
  await expect(page.getByTestId("created-api-key")).toHaveCount(0);
  await page.reload();
  await expect(page.locator("body")).not.toContainText(key);
  await expect(row).toBeVisible();

  // Revoking asks first; cancelling changes nothing.
  await row.getByRole("button", { name: `吊销 ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `吊销密钥「${name}」？` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "取消" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("有效");

  await row.getByRole("button", { name: `吊销 ${name}` }).click();
  await dialog.getByRole("button", { name: "确认吊销" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("已于");
  await expect(row).toContainText("吊销");
  await expect(row.getByRole("button")).toHaveCount(0);
});

test("an API key needs a name", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/settings/api-keys");
  const form = page.getByTestId("create-api-key-form");
  await form.getByRole("button", { name: "创建密钥" }).click();
  await expect(form.getByText("请填写名称。")).toBeVisible();
  await expect(page.getByTestId("created-api-key")).toHaveCount(0);
});

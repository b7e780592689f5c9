import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

for (const role of ["analyst", "operator"] as const) {
  test(`${role} opening the users and API-key pages gets the no-permission panel and no form`, async ({ page }) => {
    await signIn(page, role);
    await page.goto("/settings/users");
    await expect(page.getByTestId("forbidden")).toBeVisible();
    await expect(page.getByRole("heading", { name: "没有权限" })).toBeVisible();
    await expect(page.getByTestId("create-user-form")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "添加成员" })).toHaveCount(0);

    await page.goto("/settings/api-keys");
    await expect(page.getByTestId("forbidden")).toBeVisible();
    await expect(page.getByTestId("create-api-key-form")).toHaveCount(0);

    // The general section is open to every role, with the tabs the role may open and not the owner's.
    await page.goto("/settings");
    await expect(page.getByTestId("settings-merchant-name")).toHaveText("演示商户");
    const tabs = page.getByRole("navigation", { name: "设置分区" });
    await expect(tabs.getByRole("link", { name: "基本信息" })).toBeVisible();
    await expect(tabs.getByRole("link", { name: "方案" })).toBeVisible();
    await expect(tabs.getByRole("link", { name: "成员" })).toHaveCount(0);
    await expect(tabs.getByRole("link", { name: "API 密钥" })).toHaveCount(0);
  });
}

test("the owner sees the user and API-key forms", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/settings");
  const tabs = page.getByRole("navigation", { name: "设置分区" });
  await tabs.getByRole("link", { name: "成员" }).click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  await expect(page.getByTestId("create-user-form")).toBeVisible();
  await expect(page.getByTestId("forbidden")).toHaveCount(0);
  await tabs.getByRole("link", { name: "API 密钥" }).click();
  await expect(page.getByTestId("create-api-key-form")).toBeVisible();
});

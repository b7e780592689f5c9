import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, signIn, submitSignIn, unique } from "./helpers";

test("the sign-in page shows the demo logins", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1, name: "登录会员运营台" })).toBeVisible();
  const hint = page.getByTestId("demo-logins");
  await expect(hint).toContainText("owner@demo.local");
  await expect(hint).toContainText("operator@demo.local");
  await expect(hint).toContainText("analyst@demo.local");
  await expect(hint).toContainText(DEMO_PASSWORD);
  // "Fill in" puts the login into the form.
  await hint.getByRole("button", { name: "使用 分析 账号" }).click();
  await expect(page.getByLabel("邮箱")).toHaveValue("analyst@demo.local");
  await expect(page.getByLabel("密码")).toHaveValue(DEMO_PASSWORD);
});

test("a signed-out visitor is sent to sign-in", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a wrong password shows the error and stays on sign-in", async ({ page }) => {
  await submitSignIn(page, `nobody-${unique()}@demo.local`, "wrong-password");
  await expect(page.getByTestId("sign-in-error")).toHaveText("邮箱或密码不正确。");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("empty fields are caught before anything is sent", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("请输入邮箱和密码。");
});

test("too many wrong attempts show the rate-limit message", async ({ page }) => {
  const email = `locked-${unique()}@demo.local`;
  for (let i = 0; i < 5; i++) {
    await submitSignIn(page, email, `wrong-${i}`);
    await expect(page.getByTestId("sign-in-error")).toHaveText("邮箱或密码不正确。");
  }
  await submitSignIn(page, email, "wrong-again");
  await expect(page.getByTestId("sign-in-error")).toHaveText("尝试次数过多，请稍后再试。");
});

test("the sign-in error is translated in English too", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Member Console" })).toBeVisible();
  await page.getByLabel("Email").fill(`nobody-${unique()}@demo.local`);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("The email or password is incorrect.");
});

test("signing out returns to sign-in and closes the session", async ({ page }) => {
  await signIn(page, "operator");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});

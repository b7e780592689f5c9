import { expect, test } from "@playwright/test";
import { signIn, signInAs, submitSignIn, unique } from "./helpers";

test("the owner adds a user, who can then sign in with that role", async ({ page, browser }) => {
  const suffix = unique();
  const email = `new-${suffix}@e2e.local`;
  const name = `新成员${suffix.slice(-4)}`;
  await signIn(page, "owner");
  await page.goto("/settings/users");

  const form = page.getByTestId("create-user-form");
  await form.getByLabel("邮箱").fill(email.toUpperCase());
  await form.getByLabel("姓名").fill(name);
  await form.getByLabel("角色").selectOption("analyst");
  await form.getByLabel("初始密码").fill("copper-kettle-e2e-58");
  await form.getByRole("button", { name: "添加成员" }).click();

  await expect(form.getByRole("status")).toHaveText(`已添加 ${name}（${email}）。`);
  const row = page.getByTestId(`user-row-${email}`);
  await expect(row).toContainText(name);
  await expect(row.getByRole("combobox", { name: `${name} 的角色` })).toHaveValue("analyst");
  await expect(form.getByLabel("邮箱")).toHaveValue("");

  const other = await browser.newPage();
  await signInAs(other, email, "copper-kettle-e2e-58");
  await expect(other.getByTestId("user-role")).toHaveText("分析");
  await other.close();
});

test("the create-user form shows field errors next to the fields", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/settings/users");
  const form = page.getByTestId("create-user-form");
  await form.getByLabel("邮箱").fill("not-an-email");
  await form.getByLabel("初始密码").fill("short");
  await form.getByRole("button", { name: "添加成员" }).click();
  await expect(form.getByText("请输入有效的邮箱地址。")).toBeVisible();
  await expect(form.getByText("请填写名称。")).toBeVisible();
  await expect(form.getByText("密码至少 10 个字符。")).toBeVisible();
  await expect(form.getByLabel("邮箱")).toHaveAttribute("aria-invalid", "true");

  // A taken email is refused by the server, and the error lands on the email field.
  await form.getByLabel("邮箱").fill("operator@demo.local");
  await form.getByLabel("姓名").fill("重复");
  await form.getByLabel("初始密码").fill("long-enough-1");
  await form.getByRole("button", { name: "添加成员" }).click();
  await expect(form.getByText("该邮箱已被使用。")).toBeVisible();

  // Long enough, but a common password: refused by the server's policy, on the password field.
  await form.getByLabel("邮箱").fill(`weak-${unique()}@e2e.local`);
  await form.getByLabel("初始密码").fill("password123456");
  await form.getByRole("button", { name: "添加成员" }).click();
  await expect(form.getByText("密码太容易被猜到：请换一个更长、不常见的密码。")).toBeVisible();
});

test("the owner changes a user's role and disables them, which stops their sign-in", async ({ page, browser }) => {
  const suffix = unique();
  const email = `role-${suffix}@e2e.local`;
  const name = `改角色${suffix.slice(-4)}`;
  await signIn(page, "owner");
  await page.goto("/settings/users");
  const form = page.getByTestId("create-user-form");
  await form.getByLabel("邮箱").fill(email);
  await form.getByLabel("姓名").fill(name);
  await form.getByLabel("初始密码").fill("copper-kettle-e2e-58");
  await form.getByRole("button", { name: "添加成员" }).click();

  const row = page.getByTestId(`user-row-${email}`);
  await row.getByRole("combobox", { name: `${name} 的角色` }).selectOption("owner");
  await expect(page.getByText(`已更新 ${name}。`)).toBeVisible();
  await page.reload();
  await expect(row.getByRole("combobox", { name: `${name} 的角色` })).toHaveValue("owner");

  await row.getByRole("button", { name: `停用 ${name}` }).click();
  await expect(row).toContainText("已停用");
  await expect(row.getByRole("button", { name: `启用 ${name}` })).toBeVisible();

  const other = await browser.newPage();
  await submitSignIn(other, email, "copper-kettle-e2e-58");
  await expect(other.getByTestId("sign-in-error")).toHaveText("邮箱或密码不正确。");
  await other.close();

  // Your own row has no controls: an owner can't lock themselves out.
  await expect(page.getByTestId("user-row-owner@demo.local").getByRole("combobox")).toHaveCount(0);
  await expect(page.getByTestId("user-row-owner@demo.local").getByRole("button")).toHaveCount(0);
});

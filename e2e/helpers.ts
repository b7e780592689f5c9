import { expect, type Page } from "@playwright/test";

// The demo logins seeded on a fresh database (lib/bootstrap.ts); the e2e server sets no DEMO_PASSWORD.
export const DEMO_PASSWORD = "demo-2026-console";
export const demo = {
  owner: { email: "owner@demo.local", name: "王店长", roleZh: "管理员", roleEn: "Owner" },
  operator: { email: "operator@demo.local", name: "李运营", roleZh: "运营", roleEn: "Operator" },
  analyst: { email: "analyst@demo.local", name: "赵分析", roleZh: "分析", roleEn: "Analyst" },
} as const;
export type DemoRole = keyof typeof demo;

export const navZh = ["概览", "会员", "等级", "权益", "积分", "活动日历", "自动化", "积分商城", "消息", "设置"];
export const navEn = ["Dashboard", "Members", "Tiers", "Rights", "Points", "Campaigns", "Automations", "Points mall", "Outbox", "Settings"];

/** A suffix that keeps names and emails of one test apart from every other test's. */
export const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** Fills and submits the sign-in form (Chinese UI) and waits for the outcome to be on screen. */
export async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

export async function signIn(page: Page, role: DemoRole) {
  await signInAs(page, demo[role].email, DEMO_PASSWORD);
}

export async function signInAs(page: Page, email: string, password: string) {
  await submitSignIn(page, email, password);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
}

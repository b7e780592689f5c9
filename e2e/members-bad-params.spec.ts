import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// A hand-edited or cut-short members URL: the page drops what it cannot use and says so (never a 500).
test("the members page drops a malformed cursor or a NUL in q and says which", async ({ page }) => {
  await signIn(page, "analyst");
  const cursor = Buffer.from(JSON.stringify(["not a time", "M1"])).toString("base64url");
  const res = await page.goto(`/members?sort=registeredAt&cursor=${cursor}&q=a%00b`);
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("members-ignored")).toHaveText("部分筛选值无法使用，已忽略：q, cursor。");
  await expect(page.getByRole("heading", { level: 1, name: "会员" })).toBeVisible();
});

test("a member page for a path no member can have is a 404, not a 500", async ({ page }) => {
  await signIn(page, "analyst");
  expect((await page.goto("/members/M%00X"))?.status()).toBe(404);
  // A malformed %-escape: Next itself answers 400 before the page runs.
  expect((await page.goto("/members/%E0%A4%A"))?.status()).toBe(400);
});

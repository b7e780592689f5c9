import { expect, test } from "@playwright/test";
import { signIn, unique } from "./helpers";

test("an operator finds a member's open checkout hold and releases it with a reason; the wallet ledger shows a top-up and a spend in Chinese", async ({ page }) => {
  await signIn(page, "operator");
  const id = `co-${unique()}`;
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const events = [
    { id: `${id}-reg`, type: "member.registered", occurredAt: at, memberId: id, data: { name: "结账测试" } },
    { id: `${id}-top`, type: "wallet.topped_up", occurredAt: at, memberId: id, data: { topUpId: `${id}-t1`, amount: 50_000 } },
  ];
  const ev = await page.request.post("/api/v1/events", { data: { events } });
  expect(ev.status()).toBe(200);
  expect(((await ev.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(["applied", "applied"]);

  // A ¥100 order paid with ¥20 of stored value (confirmed), and another holding 100 of the 100 welcome points (left open).
  const paid = await page.request.post(`/api/v1/members/${id}/holds`, { data: { id: `${id}-h1`, orderId: `${id}-o1`, amount: 10_000, wallet: 2_000 } });
  expect(paid.status()).toBe(201);
  expect((await page.request.post(`/api/v1/holds/${id}-h1/confirm`)).status()).toBe(200);
  const open = await page.request.post(`/api/v1/members/${id}/holds`, { data: { id: `${id}-h2`, orderId: `${id}-o2`, amount: 10_000, points: 100 } });
  expect(open.status()).toBe(201);

  await page.goto(`/members/${id}`);
  const holds = page.getByTestId("member-holds");
  await expect(holds.getByTestId(`hold-${id}-h2`)).toContainText(`${id}-o2`);
  await expect(page.getByTestId("points-held")).toContainText("结账占用 100");
  const ledger = page.getByTestId("wallet-ledger");
  await expect(ledger).toContainText("充值");
  await expect(ledger).toContainText("消费");
  await expect(page.getByTestId("wallet-balance")).toHaveText("¥530.00");

  await holds.getByTestId(`release-${id}-h2-open`).click();
  await holds.getByPlaceholder("原因（必填）").fill("顾客取消支付");
  await holds.getByRole("button", { name: "确认释放" }).click();
  await expect(holds.getByText("没有进行中的结账占用。")).toBeVisible();
  await expect(page.getByTestId("points-held")).toHaveCount(0);
  const hold = await page.request.post(`/api/v1/holds/${id}-h2/confirm`);
  expect(hold.status()).toBe(409);
});

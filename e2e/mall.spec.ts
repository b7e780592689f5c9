import { expect, test } from "@playwright/test";
import { signIn, unique } from "./helpers";
import { seedMembers } from "./members-fixtures";

test("an operator adds a tote bag, a member orders it over the API, the operator marks it picked up", async ({ page }) => {
  const u = unique();
  const itemId = `bag_${u}`;
  const memberId = `mall-${u}`;
  await signIn(page, "operator");
  // 100 welcome points + ¥900: 1,000 points.
  await seedMembers(page.request, [{ id: memberId, name: "商城会员", phone: "13900000000", spendFen: 90_000 }]);

  await page.goto("/mall");
  await page.getByTestId("mall-add").click();
  const form = page.getByTestId("mall-item-form");
  await form.getByLabel("商品编码").fill(itemId);
  await form.getByLabel("中文名称").fill("帆布袋");
  await form.getByLabel("英文名称").fill("Tote bag");
  await form.getByLabel("积分", { exact: true }).fill("800");
  await form.getByLabel("现金（元）").fill("9.90");
  await form.getByLabel("单位成本（元）").fill("15");
  await form.getByLabel("库存").fill("200");
  await form.getByLabel("每人限兑数量").fill("1");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId(`mall-stock-${itemId}`)).toHaveText("200");

  const res = await page.request.post(`/api/v1/members/${memberId}/mall-orders`, { data: { id: `o-${u}`, itemId, quantity: 1 } });
  expect(res.status()).toBe(201);
  expect(await res.json()).toMatchObject({ points: 800, cash: 990, status: "placed" });
  const again = await page.request.post(`/api/v1/members/${memberId}/mall-orders`, { data: { id: `o2-${u}`, itemId, quantity: 1 } });
  expect(again.status()).toBe(409);

  await page.goto(`/mall/orders?memberId=${memberId}`);
  const row = page.getByTestId(`mall-order-o-${u}`);
  await expect(row).toContainText("待履约");
  await row.getByTestId(`pickup-o-${u}`).click();
  await row.getByLabel("备注（选填）").fill("门店自提");
  await row.getByTestId(`confirm-o-${u}`).click();
  await expect(row).toContainText("已自提");
  await expect(row).toContainText("门店自提");

  await page.goto("/mall");
  await expect(page.getByTestId(`mall-stock-${itemId}`)).toHaveText("199");
});

test("an analyst sees the mall read-only", async ({ page }) => {
  await signIn(page, "analyst");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "积分商城", exact: true }).click();
  await expect(page).toHaveURL(/\/mall$/);
  await expect(page.getByTestId("mall-read-only")).toBeVisible();
  await expect(page.getByTestId("mall-item-tote_bag")).toBeVisible();
  await expect(page.getByTestId("mall-add")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /编辑/ })).toHaveCount(0);
});

test("an operator places a phone order for a member from the member page", async ({ page }) => {
  const memberId = `phone-${unique()}`;
  await signIn(page, "operator");
  // 100 welcome points + ¥900: 1,000 points; a free-shipping coupon costs 500.
  await seedMembers(page.request, [{ id: memberId, name: "电话会员", phone: "13900000001", spendFen: 90_000 }]);
  await page.goto(`/members/${memberId}`);
  const form = page.getByTestId("phone-order-form");
  await form.getByLabel("商品").selectOption("free_shipping");
  await form.getByRole("button", { name: "兑换" }).click();
  await expect(form.getByRole("status")).toContainText("扣除 500 积分");
  await expect(page.getByTestId("points-balance")).toHaveText("500");
});

test("an analyst sees the mall and memberships dashboards (points and revenue) and cannot edit the mall or a member", async ({ page, browser }) => {
  // An operator registers a member who buys the SVIP card (¥199) over the API.
  const memberId = `svip-${unique()}`;
  const op = await browser.newPage();
  await signIn(op, "operator");
  await seedMembers(op.request, [{ id: memberId, name: "卡会员", phone: "13900000002" }]);
  const bought = await op.request.post("/api/v1/events", {
    data: { id: `buy-${memberId}`, type: "membership.purchased", occurredAt: new Date().toISOString(), memberId, data: { purchaseId: `P-${memberId}`, plan: "svip", amount: 19_900 } },
  });
  expect(bought.status()).toBe(200);
  await op.close();

  await signIn(page, "analyst");
  await page.goto("/dashboards/points");
  await expect(page.getByTestId("chart-mall")).toBeVisible();
  await page.goto("/dashboards/revenue");
  const card = page.getByTestId("chart-memberships");
  await expect(card).toBeVisible();
  await expect(card.getByRole("heading", { name: "付费会员卡" })).toBeVisible();
  // The plans editor (rights page) is read-only: no "add plan".
  await page.goto("/rights");
  await expect(page.getByTestId("plan-svip")).toBeVisible();
  await expect(page.getByTestId("add-plan")).toHaveCount(0);
  // The mall: read-only, the SVIP card listed beside the other items.
  await page.goto("/mall");
  await expect(page.getByTestId("mall-item-svip_card")).toBeVisible();
  await expect(page.getByTestId("mall-add")).toHaveCount(0);
  // A member page shows the paid-membership card section, without the phone-order form.
  await page.goto(`/members/${memberId}`);
  await expect(page.getByTestId("membership-card")).toContainText("年卡 SVIP");
  await expect(page.getByTestId("membership-time-left")).toContainText("剩余");
  await expect(page.getByTestId("phone-order-form")).toHaveCount(0);
});

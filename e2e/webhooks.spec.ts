import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { signIn } from "./helpers";

/** The shop's receiver, on this machine (the e2e server sets WEBHOOK_ALLOW_PRIVATE=1). */
const received: { headers: Record<string, string>; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push({ headers: req.headers as Record<string, string>, body });
    res.writeHead(200, { "content-type": "text/plain" }).end("received");
  });
});
let url = "";
test.beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/${Date.now()}`;
});
test.afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

test("the owner adds a webhook endpoint, sends a test ping, sees it delivered and re-sends it", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/settings/webhooks");
  const form = page.getByTestId("create-webhook-form");
  await form.getByLabel("URL").fill(url);
  await form.getByRole("button", { name: "添加", exact: true }).click();

  const shown = page.getByTestId("webhook-secret");
  await expect(shown).toContainText("只显示这一次");
  const secret = (await shown.locator("code").textContent()) ?? "";
  expect(secret).toMatch(/^whsec_/);
  await shown.getByRole("button", { name: "我已保存" }).click();

  const endpoint = page.getByTestId("webhook-endpoint").filter({ hasText: url });
  await expect(endpoint).toContainText("已启用");
  await endpoint.getByRole("button", { name: "发送测试" }).click();
  await expect(page.getByRole("status")).toContainText("已排队一次测试推送");

  const log = page.getByTestId("webhook-deliveries");
  await expect(async () => {
    await page.getByRole("button", { name: "刷新" }).click();
    await expect(log).toContainText("已送达", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(log).toContainText("webhook.ping");
  await expect(log).toContainText("200");
  expect(received).toHaveLength(1);
  const ping = new Webhook(secret).verify(received[0].body, received[0].headers) as { type: string };
  expect(ping.type).toBe("webhook.ping");

  await log.getByRole("button", { name: "重新发送" }).click();
  await expect.poll(() => received.length, { timeout: 20_000 }).toBe(2);
  expect(received[1].headers["webhook-id"]).toBe(received[0].headers["webhook-id"]);
  await expect(async () => {
    await page.getByRole("button", { name: "刷新" }).click();
    // The attempts column of the ping's row: the first send and the re-send.
    await expect(log.getByRole("row").nth(1).getByRole("cell").nth(3)).toHaveText("2", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});

test("the outbox page lists the automations' messages in Chinese", async ({ page }) => {
  await signIn(page, "operator");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "消息", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "消息外发箱" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /全部消息/ })).toBeVisible();
});

test("the event-type picker lists every type of api.md, in Chinese and in English", async ({ page, context, baseURL }) => {
  const types = ["member.registered", "member.tier_changed", "points.earned", "points.spent", "points.expired", "points.expiring", "right.issued", "right.redeemed", "message.queued", "hold.expired", "membership.started", "membership.ended", "wallet.changed"];
  await signIn(page, "owner");
  await page.goto("/settings/webhooks");
  const form = page.getByTestId("create-webhook-form");
  await expect(form.getByRole("checkbox")).toHaveCount(types.length);
  for (const type of types) await expect(form.getByRole("checkbox", { name: new RegExp(`${type.replace(".", "\\.")}$`) })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: "积分获得 points.earned" })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: "储值余额变动 wallet.changed" })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: "消息待发送 message.queued" })).toBeChecked();

  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);
  await page.reload();
  await expect(form.getByRole("checkbox")).toHaveCount(types.length);
  await expect(form.getByRole("checkbox", { name: "Points earned points.earned" })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: "Checkout hold expired hold.expired" })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: "Paid membership ended membership.ended" })).toBeVisible();
});

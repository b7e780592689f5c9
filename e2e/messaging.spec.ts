import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// Nothing here saves the program (e2e/workbench.spec.ts edits the one demo program at the same time).
test("the automation page shows the templates, the frequency cap and quiet hours, and the messages sent, held and capped; an unknown variable is refused in place", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/automations");
  await expect(page.getByRole("heading", { name: "消息模板与发送规则" })).toBeVisible();
  // The demo program: at most 3 messages a week per member, no quiet hours, two templates in Chinese first.
  await expect(page.getByTestId("cap-summary")).toHaveText("每位会员任意 7 天内最多 3 条，超出的记为“已限频”、不发送。");
  await expect(page.getByTestId("quiet-enabled")).not.toBeChecked();
  await expect(page.getByTestId("template-tier_upgraded")).toBeVisible();
  await expect(page.locator("#tpl1-zh")).toHaveValue(/^\{memberName\}您好，您有 \{expiringPoints\} 积分/);
  await expect(page.getByTestId("template-points_expiring").getByLabel("渠道")).toHaveValue("sms");
  // Each automation that sends a message counts its messages of the last 30 days (none: no history is seeded here).
  await expect(page.getByTestId("messages-upgrade_welcome")).toContainText("已发送");
  await expect(page.getByTestId("capped-upgrade_welcome")).toHaveText("0");
  await expect(page.getByTestId("messages-welcome_pack")).toHaveCount(0);

  await page.getByTestId("quiet-enabled").check();
  await expect(page.getByTestId("quiet-summary")).toHaveText("21:00–09:00 之间的消息暂缓，到 09:00 再发出（不丢弃）。");

  await page.locator("#tpl0-zh").fill("{memberName}，您的{tierName}已生效");
  await page.getByTestId("save-program").click();
  await expect(page.locator('[data-error-for="messaging.templates.0.text.zh"]')).toContainText("{tierName}");
  const saved = await (await page.request.get("/api/v1/program")).json();
  expect(saved.messaging.templates[0].text.zh).toMatch(/^\{memberName\}，恭喜您升级为\{tier\}/);
});

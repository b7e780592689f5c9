import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../helpers";
import { ordersFile, seedMembers } from "../members-fixtures";

// `SCREENSHOTS=1 E2E_PORT=… npx playwright test e2e/members/` — the members workspace, empty and with data, zh and en.
const dir = path.join(process.cwd(), "docs", "screenshots");
const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(dir, `members-${name}.png`), fullPage });

const surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const given = ["芳", "伟", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟"];

test("members workspace", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "owner");
  await page.goto("/members");
  await expect(page.getByTestId("members-empty")).toBeVisible();
  await shot(page, "list-empty-zh");

  const members = Array.from({ length: 36 }, (_, i) => ({
    id: `M${String(10001 + i)}`,
    name: `${surnames[i % 10]}${given[(i * 7) % 12]}`,
    phone: `13${(i % 9) + 1}${String(20000000 + i * 7919).slice(0, 8)}`,
    spendFen: [0, 45800, 128000, 560000, 2380000, 76000][i % 6] + i * 1300,
  }));
  await seedMembers(page.request, members);
  await page.goto("/members?sort=lifetimeSpend&dir=desc");
  await expect(page.getByTestId("members-table")).toBeVisible();
  await shot(page, "list-zh");

  await page.goto("/members/M10002");
  const form = page.getByTestId("adjust-form");
  await form.getByLabel("调整数量").fill("200");
  await form.getByLabel("原因").fill("门店活动补发积分");
  await form.getByRole("button", { name: "确认调整" }).click();
  await expect(page.getByText("已调整，流水和审计日志已更新。")).toBeVisible();
  await shot(page, "detail-zh", true);

  await page.goto("/members/import");
  await page.getByLabel("CSV 文件").setInputFiles({ name: "订单导出.csv", mimeType: "text/csv", buffer: ordersFile("S", members.map((m) => m.id)) });
  await page.getByRole("button", { name: "读取文件" }).click();
  await expect(page.getByTestId("import-mapping")).toBeVisible();
  await page.getByTestId("import-mapping").scrollIntoViewIfNeeded();
  await shot(page, "import-mapping-zh");
  await page.getByRole("button", { name: "开始导入" }).click();
  await expect(page.getByTestId("import-result")).toBeVisible({ timeout: 60_000 });
  await page.getByTestId("import-result").scrollIntoViewIfNeeded();
  await shot(page, "import-done-zh");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto("/members?sort=lifetimeSpend&dir=desc&tier=gold");
  await shot(page, "list-en");
  await page.goto("/members/M10002");
  await shot(page, "detail-en");
  await page.goto("/members?q=nobody-here");
  await shot(page, "list-no-match-en");
});

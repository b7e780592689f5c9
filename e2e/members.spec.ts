import { expect, test } from "@playwright/test";
import { signIn, unique } from "./helpers";
import { ordersFile, seedMembers } from "./members-fixtures";

test("an operator finds a member by phone, adjusts points with a reason, and sees the ledger and the audit log", async ({ page }) => {
  await signIn(page, "owner");
  const id = `E${unique()}`;
  const phone = `139${String(Date.now()).slice(-8)}`;
  await seedMembers(page.request, [{ id, name: "陈小明", phone, spendFen: 76000 }]);
  await page.context().clearCookies();

  await signIn(page, "operator");
  await page.goto("/members");
  await page.getByRole("searchbox").fill(phone);
  await page.getByRole("button", { name: "筛选", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`q=${phone}`));
  const table = page.getByTestId("members-table");
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByText(phone)).toBeVisible();
  await table.getByRole("link", { name: /陈小明/ }).click();

  await expect(page).toHaveURL(new RegExp(`/members/${id}$`));
  await expect(page.getByTestId("member-phone")).toHaveText(phone);
  // ¥760 paid → 760 growth; silver needs 1,000.
  await expect(page.getByTestId("tier-progress")).toContainText("还差 240 成长值升级银卡会员");
  // 100 welcome points + 760 for the order.
  await expect(page.getByTestId("points-balance")).toHaveText("860");

  const form = page.getByTestId("adjust-form");
  await form.getByLabel("调整数量").fill("50");
  await form.getByLabel("原因").fill("配送延迟补偿");
  await form.getByRole("button", { name: "确认调整" }).click();
  await expect(page.getByText("已调整，流水和审计日志已更新。")).toBeVisible();
  await expect(page.getByTestId("points-balance")).toHaveText("910");
  const ledgerRow = page.getByTestId("points-ledger").getByRole("row").nth(1);
  await expect(ledgerRow).toContainText("+50");
  await expect(ledgerRow).toContainText("配送延迟补偿");
  const audit = page.getByTestId("member-audit");
  await expect(audit).toContainText("operator@demo.local");
  await expect(audit).toContainText("调整积分");

  // A reason is required: the domain refuses a blank one and nothing changes.
  await form.getByLabel("调整数量").fill("10");
  await form.getByLabel("原因").fill(" ");
  await form.getByRole("button", { name: "确认调整" }).click();
  await expect(page.getByTestId("points-balance")).toHaveText("910");
});

test("an analyst sees the masked phone and no action buttons", async ({ page }) => {
  await signIn(page, "owner");
  const id = `A${unique()}`;
  await seedMembers(page.request, [{ id, name: "周分析", phone: "13712345678" }]);
  await page.context().clearCookies();

  await signIn(page, "analyst");
  await page.goto(`/members?q=${id}`);
  await expect(page.getByTestId("members-table")).toContainText("137****5678");
  await expect(page.getByRole("link", { name: "导入 CSV" })).toHaveCount(0);
  // A drill-down link from the RFM grid (a new member scores R1 F1) opens the same view and shows its scores.
  await page.goto(`/members?r=1&f=1&q=${id}`);
  await expect(page.getByTestId("rfm-scores")).toContainText("RFM 评分：R1 F1");
  await expect(page.getByTestId("members-table")).toContainText(id);
  await page.goto(`/members/${id}`);
  await expect(page.getByTestId("member-phone")).toHaveText("137****5678");
  await expect(page.getByRole("heading", { name: "运营操作" })).toHaveCount(0);
  await expect(page.getByTestId("adjust-form")).toHaveCount(0);
  await expect(page.getByRole("button")).not.toContainText(["确认调整", "发放", "设定等级"]);
  await page.goto("/members/import");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  // The server refuses too, not only the page.
  const res = await page.request.post("/api/members/imports", { multipart: { kind: "orders", mapping: "{}", file: { name: "x.csv", mimeType: "text/csv", buffer: Buffer.from("a\n1\n") } } });
  expect(res.status()).toBe(403);
});

test("importing 1,000 orders with 3 bad rows: the report names them, 997 are in, a second import changes nothing", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "operator");
  const tag = unique();
  const ids = Array.from({ length: 10 }, (_, i) => `I${tag}${i}`);
  await seedMembers(page.request, ids.map((id, i) => ({ id, name: `导入${i}`, phone: `1360000${String(i).padStart(4, "0")}` })));
  const file = { name: "orders.csv", mimeType: "text/csv", buffer: ordersFile(`O${tag}`, ids) };

  for (const round of [1, 2]) {
    await page.goto("/members/import");
    await page.getByLabel("导入内容").selectOption("orders");
    await page.getByLabel("CSV 文件").setInputFiles(file);
    await page.getByRole("button", { name: "读取文件" }).click();
    const mapping = page.getByTestId("import-mapping");
    await expect(page.getByText("共 1000 行，编码 GBK。")).toBeVisible();
    // The Chinese headers are mapped by themselves.
    await expect(mapping.getByLabel("订单号 *")).toHaveValue("订单号");
    await expect(mapping.getByLabel("实付金额（元） *")).toHaveValue("实付金额");
    await page.getByRole("button", { name: "开始导入" }).click();
    const result = page.getByTestId("import-result");
    await expect(result).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
    await expect(result).toContainText(round === 1 ? "新增 997 行 · 已存在 0 行 · 拒绝 3 行" : "新增 0 行 · 已存在 997 行 · 拒绝 3 行");

    const href = await page.getByTestId("import-report").getAttribute("href");
    const report = await (await page.request.get(href!)).text();
    const lines = report.replace(/^\uFEFF/, "").trim().split("\r\n");
    // In the operator's language: Chinese headers and reasons.
    expect(lines[0]).toBe("行号,原因,订单号,会员编号,实付金额,支付时间");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["102", "503", "904"]);
    expect(lines[1]).toContain("十块");
    expect(lines[1]).toContain("不是以元为单位的金额");
    expect(lines[3]).toContain("订单号为空");
  }

  // The orders are on the members: 100 orders each, one of them (row 903) rejected for member 3.
  await page.goto(`/members?q=${ids[1]}`);
  await expect(page.getByTestId("members-table")).toContainText(ids[1]);
});

import { expect, test } from "@playwright/test";
import { signIn, unique } from "./helpers";
import { seedMembers } from "./members-fixtures";

/** RFC 4180 fields of a CSV text (quotes, doubled quotes, CRLF), as a spreadsheet or a script reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else {
      cell += c;
    }
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

test("the member list shows its total and finds a member by the last four phone digits", async ({ page }) => {
  await signIn(page, "owner");
  const id = `L${unique()}`;
  const last4 = String(Date.now()).slice(-4);
  await seedMembers(page.request, [{ id, name: "尾号测试", phone: `1370000${last4}` }]);
  await page.goto("/members");
  await expect(page.getByTestId("members-total")).toHaveText(/^1–\d+ \/ (约 )?[\d,]+ 位会员$/);
  await page.getByRole("searchbox").fill(last4);
  await page.getByRole("button", { name: "筛选", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`q=${last4}`));
  await expect(page.getByTestId("members-table")).toContainText(id);
  await expect(page.getByTestId("members-total")).toHaveText(/^1–\d+ \/ \d+ 位会员$/);
});

test("the members export opened by a CSV parser has Chinese headers, names and local times; .xlsx too", async ({ page }) => {
  await signIn(page, "owner");
  const id = `X${unique()}`;
  // Registered 2026-03-01 09:00 +08:00 (01:00 UTC); ¥760 on 03-02 12:00 +08:00.
  await seedMembers(page.request, [{ id, name: "导出测试", phone: "13811112222", spendFen: 76000 }]);
  const res = await page.request.get(`/api/members/export?q=${id}`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toMatch(/filename\*=UTF-8''%E4%BC%9A%E5%91%98-\d{4}-\d{2}-\d{2}\.csv/);
  const [headers, row] = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
  expect(headers.slice(0, 5)).toEqual(["会员编号", "姓名", "手机号", "等级", "生命周期"]);
  const cell = (h: string) => row[headers.indexOf(h)];
  expect([cell("会员编号"), cell("等级"), cell("累计消费（元）"), cell("注册时间"), cell("最近下单时间")]).toEqual([id, "普通会员", "760.00", "2026-03-01 09:00:00", "2026-03-02 12:00:00"]);

  await page.goto(`/members?q=${id}`);
  const xlsxHref = await page.getByTestId("members-export-xlsx").getAttribute("href");
  const xlsx = await page.request.get(xlsxHref!);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");
});

test("at 820 px the member list fits without a cut-off column or wrapped dates", async ({ page }) => {
  await page.setViewportSize({ width: 820, height: 900 });
  await signIn(page, "owner");
  await seedMembers(page.request, [{ id: `W${unique()}`, name: "窄屏测试", phone: "13922223333", spendFen: 123400 }]);
  await page.goto("/members");
  const table = page.getByTestId("members-table");
  await expect(table).toBeVisible();
  const { scroll, client } = await table.evaluate((t) => ({ scroll: t.parentElement!.scrollWidth, client: t.parentElement!.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
  // Each date is one line of text: its cell's text has one line box.
  const lines = await table.locator("tbody tr").first().locator("td").last().evaluate((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
  expect(lines).toBe(1);
});

test("the what-if preview of the unchanged program shows no change", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/tiers");
  await page.getByTestId("run-preview").click();
  await expect(page.getByTestId("preview-unchanged")).toBeVisible();
  await expect(page.getByTestId("preview-升级 · 降级")).toHaveText("↑ 0 · ↓ 0");
});

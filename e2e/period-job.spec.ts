import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

/** A business date in Shanghai (the demo program's time zone), `days` from today. */
const shanghaiDate = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

test("the owner sees the daily period job and runs it for a past date after confirming; a day not ended is refused", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/settings/program");
  const card = page.getByTestId("period-job");
  await expect(card.getByRole("heading", { name: "每日周期任务" })).toBeVisible();
  const yesterday = shanghaiDate(-1);
  await expect(card).toContainText(yesterday);
  // Go-live defaults to the day the demo merchant was made: today.
  await expect(card.getByLabel("自动运行起始日")).toHaveValue(shanghaiDate(0));

  const asOf = card.getByLabel("为过去的日期运行");
  await asOf.fill(shanghaiDate(0));
  await card.getByRole("button", { name: "运行", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `运行至 ${shanghaiDate(0)}？` });
  await dialog.getByRole("button", { name: "运行", exact: true }).click();
  await expect(card.getByText("只能运行已结束的营业日")).toBeVisible();
  await expect(asOf).toHaveAttribute("aria-invalid", "true");

  // Cancelling asks nothing of the server.
  await asOf.fill(yesterday);
  await card.getByRole("button", { name: "运行", exact: true }).click();
  await page.getByRole("dialog", { name: `运行至 ${yesterday}？` }).getByRole("button", { name: "取消" }).click();
  await expect(card.getByRole("status")).toHaveCount(0);

  await card.getByRole("button", { name: "运行", exact: true }).click();
  await page.getByRole("dialog", { name: `运行至 ${yesterday}？` }).getByRole("button", { name: "运行", exact: true }).click();
  await expect(card.getByRole("status")).toContainText(`已排队：运行至 ${yesterday}`);
});

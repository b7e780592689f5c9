import { expect, test } from "@playwright/test";
import { signIn, unique } from "./helpers";

/**
 * A member with the demo history's kinds of activity (registration with the new-member pack, orders
 * on an ordinary day and on the double-points day, an upgrade, check-ins, a review, a share, a
 * completed profile, a referral, refunds, a redemption at the till, points expiring): in zh-CN, no
 * reason, source or tier-history line on the member page is in Latin letters, except the codes a
 * merchant reads as they are (member numbers, order numbers).
 */
test("the member page of a member with a seeded-like history shows every reason in Chinese", async ({ page }) => {
  await signIn(page, "owner");
  const u = unique().toUpperCase().replace(/[^A-Z0-9]/g, "");
  const a = `M${u}A`;
  const b = `M${u}B`;
  const day = (d: string, t = "12:00") => `${d}T${t}:00+08:00`;
  const events = [
    { id: `seed-${u}-reg-1`, type: "member.registered", occurredAt: day("2025-01-02", "09:00"), memberId: a, data: { name: "周小红", birthday: "1990-02-01" } },
    { id: `seed-${u}-reg-2`, type: "member.registered", occurredAt: day("2025-01-03", "09:00"), memberId: b, data: { name: "吴小兰", referrerId: a } },
    { id: `seed-${u}-ref-3`, type: "referral.completed", occurredAt: day("2025-01-03", "10:00"), memberId: a, data: { refereeId: b } },
    { id: `seed-${u}-prof-4`, type: "profile.completed", occurredAt: day("2025-01-03"), memberId: a, data: {} },
    { id: `seed-${u}-paid-5`, type: "order.paid", occurredAt: day("2025-01-05"), memberId: a, data: { orderId: `20250105-${u}1`, amount: 28_010 } },
    { id: `seed-${u}-paid-6`, type: "order.paid", occurredAt: day("2025-01-18"), memberId: a, data: { orderId: `20250118-${u}2`, amount: 120_000 } },
    { id: `seed-${u}-ci-7`, type: "member.checked_in", occurredAt: day("2025-01-19"), memberId: a, data: {} },
    { id: `seed-${u}-ci-8`, type: "member.checked_in", occurredAt: day("2025-01-20"), memberId: a, data: {} },
    { id: `seed-${u}-rev-9`, type: "review.posted", occurredAt: day("2025-01-20", "13:00"), memberId: a, data: {} },
    { id: `seed-${u}-share-10`, type: "content.shared", occurredAt: day("2025-01-20", "14:00"), memberId: a, data: {} },
    { id: `seed-${u}-refund-11`, type: "order.refunded", occurredAt: day("2025-01-21"), memberId: a, data: { orderId: `20250105-${u}1`, amount: 10_000 } },
    { id: `seed-${u}-refund-12`, type: "order.refunded", occurredAt: day("2025-01-22"), memberId: a, data: { orderId: `20250105-${u}1`, amount: 18_010 } },
  ];
  const res = await page.request.post("/api/v1/events", { data: { events } });
  expect(res.status()).toBe(200);
  expect(((await res.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(events.map(() => "applied"));
  const red = await page.request.post(`/api/v1/members/${a}/redemptions`, { data: { id: `seed-${u}-redeem-13`, points: 100, reason: "积分抵现" } });
  expect(red.status()).toBe(201);

  await page.goto(`/members/${a}`);
  const sections = [page.getByTestId("tier-history"), page.getByTestId("points-ledger"), page.getByTestId("growth-ledger")];
  await expect(sections[1]).toContainText("积分兑换：积分抵现");
  const allowed = [new RegExp(`M${u}[AB]`, "g"), new RegExp(`\\d{8}-${u}\\d`, "g")];
  for (const s of sections) {
    let text = (await s.innerText()).replace(/\s+/g, " ");
    for (const re of allowed) text = text.replace(re, "");
    expect(text, `Latin letters in: ${text}`).not.toMatch(/[A-Za-z]/);
  }
  // Spot checks of the Chinese wording.
  await expect(sections[0]).toContainText("升级：累计成长值");
  await expect(sections[1]).toContainText("自动化「新人礼包」：奖励积分");
  await expect(sections[1]).toContainText("签到（连续 2 天）");
  await expect(sections[1]).toContainText("积分兑换：积分抵现");
  await expect(sections[1]).toContainText(`订单 20250105-${u}1 退款 ¥100.00（订单 ¥280.10）`);
});

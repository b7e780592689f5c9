import { expect, type APIRequestContext } from "@playwright/test";
import iconv from "iconv-lite";

/** Registers members (and optional orders) through the engine's API with the signed-in session. */
export async function seedMembers(request: APIRequestContext, members: { id: string; name: string; phone: string; spendFen?: number }[]) {
  const events = members.flatMap((m) => [
    { id: `reg-${m.id}`, type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: m.id, data: { name: m.name, phone: m.phone } },
    ...(m.spendFen ? [{ id: `ord-${m.id}`, type: "order.paid", occurredAt: "2026-03-02T12:00:00+08:00", memberId: m.id, data: { orderId: `seed-${m.id}`, amount: m.spendFen } }] : []),
  ]);
  const res = await request.post("/api/v1/events", { data: { events } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { results: { status: string }[] };
  expect(body.results.every((r) => r.status === "applied")).toBe(true);
}

/**
 * A GBK orders file (Excel's encoding in China) of 1,000 rows over the given members; rows 101,
 * 502 and 903 of the data (lines 102, 503, 904 of the file) are bad: amount, date, empty order id.
 */
export function ordersFile(prefix: string, memberIds: string[]) {
  const lines = ["订单号,会员编号,实付金额,支付时间"];
  for (let i = 1; i <= 1000; i++) {
    const member = memberIds[i % memberIds.length];
    if (i === 101) lines.push(`${prefix}-${i},${member},十块,2026-03-05 10:00`);
    else if (i === 502) lines.push(`${prefix}-${i},${member},20.00,2026-02-30 10:00`);
    else if (i === 903) lines.push(`,${member},30.00,2026-03-05 10:00`);
    else lines.push(`${prefix}-${i},${member},${(i % 50) + 10}.50,2026-03-05 ${String(8 + (i % 12)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`);
  }
  return iconv.encode(lines.join("\r\n") + "\r\n", "gbk");
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import type { Database } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { exportMembers } from "@/lib/members/export-members";
import { parseMemberListQuery } from "@/lib/schemas/members";
import { parseCsv } from "@/lib/csv/parse";
import { testDatabases } from "../db";

/**
 * Two members on the demo program (Asia/Shanghai): E1 registered 2026-03-01 09:00 +08:00 (01:00 UTC),
 * an order of ¥1,200 at 2026-03-05 23:30 +08:00 (15:30 UTC: the same local day, not the next UTC
 * one) → growth 1,200 → 银卡会员 (silver ≥ 1,000); E2 registered 2026-03-02 00:30 +08:00 (03-01
 * 16:30 UTC), no order → 普通会员.
 */
describe.each(testDatabases)("members export in the reader's language on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "export-zh", name: "EX", demoProgram: true })).id;
    const res = await ingestEvents(database.db, merchantId, [
      { id: "r1", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "E1", data: { name: "张三", phone: "13800000001" } },
      { id: "r2", type: "member.registered", occurredAt: "2026-03-02T00:30:00+08:00", memberId: "E2", data: { name: "李四", phone: "13900000002" } },
      { id: "o1", type: "order.paid", occurredAt: "2026-03-05T23:30:00+08:00", memberId: "E1", data: { orderId: "X1", amount: 120000 } },
    ]);
    expect(res.every((r) => r.status === "applied")).toBe(true);
  });
  afterAll(() => database.close());
  const filter = parseMemberListQuery({ sort: "memberId", dir: "asc" });

  it("writes Chinese headers, tier and lifecycle names, and local times in the CSV", async () => {
    const text = await new Response(exportMembers(database.db, merchantId, filter, { fullPhone: true, locale: "zh-CN" })).text();
    const { headers, rows } = parseCsv(text.replace(/^\uFEFF/, ""));
    expect(headers).toEqual(["会员编号", "姓名", "手机号", "等级", "生命周期", "R（近度）", "F（频度）", "M（额度）", "累计消费（元）", "积分余额", "成长值", "订单数", "注册时间", "最近下单时间"]);
    expect(rows.map((r) => [r["会员编号"], r["手机号"], r["等级"], r["累计消费（元）"], r["注册时间"], r["最近下单时间"]])).toEqual([
      ["E1", "13800000001", "银卡会员", "1200.00", "2026-03-01 09:00:00", "2026-03-05 23:30:00"],
      ["E2", "13900000002", "普通会员", "0.00", "2026-03-02 00:30:00", ""],
    ]);
    expect(headers.some((h) => /^[a-z_]+$/.test(h))).toBe(false);
  });

  it("writes the same as .xlsx with typed cells: phone as text, spend as a number, local times", async () => {
    const bytes = await new Response(exportMembers(database.db, merchantId, filter, { fullPhone: true, locale: "zh-CN", format: "xlsx" })).arrayBuffer();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe("会员");
    expect(ws.getRow(1).getCell(1).value).toBe("会员编号");
    const e1 = ws.getRow(2);
    expect(e1.getCell(3).value).toBe("13800000001");
    expect(e1.getCell(3).numFmt).toBe("@");
    expect(e1.getCell(4).value).toBe("银卡会员");
    expect(e1.getCell(9).value).toBe(1200);
    // Excel has no zones: the Shanghai wall clock, stored as that date-time.
    expect((e1.getCell(13).value as Date).toISOString()).toBe("2026-03-01T09:00:00.000Z");
    expect((e1.getCell(14).value as Date).toISOString()).toBe("2026-03-05T23:30:00.000Z");
    expect(ws.rowCount).toBe(3);
  });
});

import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import { decodeCsv } from "@/lib/csv/decode";
import { parseCsv } from "@/lib/csv/parse";
import { csvLine } from "@/lib/csv/write";
import { parseDateTime, parseYuan, rowToEvent, suggestMapping } from "@/lib/csv/validate";
import { maskPhone } from "@/lib/members/mask";

const TZ = "Asia/Shanghai";

describe("decodeCsv", () => {
  const text = "会员编号,姓名\nM1,张三\n";
  it("reads UTF-8, with and without a BOM", () => {
    expect(decodeCsv(new TextEncoder().encode(text))).toEqual({ text, encoding: "utf-8" });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(decodeCsv(bom)).toEqual({ text, encoding: "utf-8" });
  });
  it("reads GBK (what Excel in China saves)", () => {
    // 张 is D5 C5 in GBK, 三 is C8 FD: not valid UTF-8, so the file is taken as GBK.
    const bytes = new Uint8Array(iconv.encode(text, "gbk"));
    expect([...bytes.slice(bytes.indexOf(0x2c, 10) + 1, bytes.indexOf(0x2c, 10) + 5)]).toEqual([0xd5, 0xc5, 0xc8, 0xfd]);
    expect(decodeCsv(bytes)).toEqual({ text, encoding: "gbk" });
  });
  it("parses the decoded GBK into headers and rows", () => {
    const { headers, rows } = parseCsv(decodeCsv(new Uint8Array(iconv.encode(text, "gbk"))).text);
    expect(headers).toEqual(["会员编号", "姓名"]);
    expect(rows).toEqual([{ 会员编号: "M1", 姓名: "张三" }]);
  });
});

describe("parseYuan", () => {
  it.each([
    ["258", 25800],
    ["258.5", 25850],
    ["¥1,234.56", 123456],
    ["0.01", 1],
    ["12元", 1200],
  ])("%s → %i fen", (raw, fen) => expect(parseYuan(raw)).toBe(fen));
  it.each(["", "abc", "-5", "1.234", "1e3"])("%s is not money", (raw) => expect(parseYuan(raw)).toBeNull());
});

describe("parseDateTime", () => {
  it("reads spreadsheet forms in the program's time zone (+08:00)", () => {
    expect(parseDateTime("2026-03-08 10:15", TZ)).toBe("2026-03-08T10:15:00+08:00");
    expect(parseDateTime("2026/3/8 9:05:07", TZ)).toBe("2026-03-08T09:05:07+08:00");
    expect(parseDateTime("2026-03-08", TZ)).toBe("2026-03-08T00:00:00+08:00");
    expect(parseDateTime("2026-03-08T10:15:00Z", TZ)).toBe("2026-03-08T10:15:00Z");
  });
  it.each(["2026-02-30 10:00", "2026-13-01", "08/03/2026", "yesterday", "2026-03-08 25:00"])("refuses %s", (raw) => expect(parseDateTime(raw, TZ)).toBeNull());
});

describe("rowToEvent", () => {
  it("turns an order row into an order.paid event keyed by the order id", () => {
    expect(rowToEvent("orders", { orderId: "A-1", memberId: "M1", amount: "258.00", paidAt: "2026-03-08 10:15" }, TZ)).toEqual({
      ok: true,
      event: { id: "import-order-A-1", type: "order.paid", occurredAt: "2026-03-08T10:15:00+08:00", memberId: "M1", data: { orderId: "A-1", amount: 25800 } },
    });
  });
  it("keeps a guest order (no member) and a member discount", () => {
    const r = rowToEvent("orders", { orderId: "A-2", memberId: "", amount: "100", paidAt: "2026-03-08", memberDiscount: "5" }, TZ);
    expect(r).toMatchObject({ ok: true, event: { memberId: null, data: { orderId: "A-2", amount: 10000, memberDiscount: 500 } } });
  });
  it.each([
    [{ orderId: "", amount: "1", paidAt: "2026-03-08" }, "orderId is empty"],
    [{ orderId: "A 3", amount: "1", paidAt: "2026-03-08" }, 'orderId "A 3" has spaces or commas, or is over 128 characters'],
    [{ orderId: "A3", amount: "abc", paidAt: "2026-03-08" }, 'amount "abc" is not an amount in yuan (e.g. 258.00)'],
    [{ orderId: "A3", amount: "0", paidAt: "2026-03-08" }, "amount must be greater than 0"],
    [{ orderId: "A3", amount: "1", paidAt: "soon" }, 'paidAt "soon" is not a date-time (e.g. 2026-03-08 10:15)'],
  ])("refuses a bad order row %j", (row, reason) => expect(rowToEvent("orders", row, TZ)).toEqual({ ok: false, reason }));
  it("turns a member row into member.registered, and refuses a bad phone or birthday", () => {
    expect(rowToEvent("members", { memberId: "M9", registeredAt: "2025-01-02 08:00", name: "李四", phone: "13800001111", birthday: "1990/7/15" }, TZ)).toEqual({
      ok: true,
      event: { id: "import-member-M9", type: "member.registered", occurredAt: "2025-01-02T08:00:00+08:00", memberId: "M9", data: { name: "李四", phone: "13800001111", birthday: "1990-07-15" } },
    });
    expect(rowToEvent("members", { memberId: "M9", registeredAt: "2025-01-02", phone: "call me" }, TZ)).toEqual({ ok: false, reason: 'phone "call me" is not a phone number' });
    expect(rowToEvent("members", { memberId: "M9", registeredAt: "2025-01-02", birthday: "1990-02-30" }, TZ)).toEqual({ ok: false, reason: 'birthday "1990-02-30" is not a date (e.g. 1990-07-15)' });
  });
});

describe("suggestMapping, csvLine, maskPhone", () => {
  it("maps Chinese and English headers", () => {
    expect(suggestMapping(["orderId", "memberId", "amount", "paidAt"], ["订单号", "会员编号", "实付金额", "支付时间"])).toEqual({ orderId: "订单号", memberId: "会员编号", amount: "实付金额", paidAt: "支付时间" });
  });
  it("quotes cells and defuses formulas", () => {
    expect(csvLine(["a,b", 'say "hi"', "=SUM(A1)", -5])).toBe('"a,b","say ""hi""",\'=SUM(A1),-5\r\n');
  });
  it("masks the middle four digits of a mobile number", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone(null)).toBeNull();
  });
});

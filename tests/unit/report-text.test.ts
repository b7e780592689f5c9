import { describe, expect, it } from "vitest";
import { localizeReport } from "@/lib/members/report-text";
import { rowToEvent } from "@/lib/csv/validate";
import { csvLine } from "@/lib/csv/write";

const reasonOf = (row: Record<string, string>) => {
  const r = rowToEvent("orders", row, "Asia/Shanghai");
  if (r.ok) throw new Error("expected a rejection");
  return r.reason;
};

describe("an import's rejected-rows report in the operator's language", () => {
  const stored =
    csvLine(["row", "reason", "订单号", "实付金额", "支付时间"]) +
    csvLine([102, reasonOf({ orderId: "A1", amount: "十块", paidAt: "2026-03-08 10:15" }), "A1", "十块", "2026-03-08 10:15"]) +
    csvLine([904, reasonOf({ orderId: "", amount: "5", paidAt: "2026-03-08 10:15" }), "", "5", "2026-03-08 10:15"]) +
    csvLine([905, "some engine message, with a comma", "B2", "5", "2026-03-08 10:15"]);

  it("has Chinese headers and reasons for zh-CN, the file's own columns unchanged", () => {
    expect(localizeReport(stored, "zh-CN").split("\r\n")).toEqual([
      "行号,原因,订单号,实付金额,支付时间",
      "102,实付金额「十块」不是以元为单位的金额（如 258.00）,A1,十块,2026-03-08 10:15",
      "904,订单号为空,,5,2026-03-08 10:15",
      '905,"some engine message, with a comma",B2,5,2026-03-08 10:15',
      "",
    ]);
  });

  it("stays as stored for English", () => {
    expect(localizeReport(stored, "en")).toBe(stored);
  });
});

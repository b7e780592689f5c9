import { describe, expect, it } from "vitest";
import { formatMoney, formatMoneyAxis } from "@/lib/format/money";
import { formatDiscount, formatPercent, percentAxisFormatter } from "@/lib/format/rates";
import { formatPoints } from "@/lib/format/points";

describe("money", () => {
  it("always has two decimals", () => {
    expect(formatMoney(125800, "zh-CN")).toBe("¥1,258.00");
    expect(formatMoney(5341200, "zh-CN")).toBe("¥53,412.00");
    expect(formatMoney(4898650, "en")).toBe("¥48,986.50");
    expect(formatMoney(-500, "zh-CN")).toBe("-¥5.00");
    expect(formatMoney(null, "zh-CN")).toBe("—");
  });
  it("abbreviates on an axis only to a figure equal to the value", () => {
    expect(formatMoneyAxis(1_350_000, "zh-CN")).toBe("¥1.35万"); // 13,500 yuan, not ¥1.4万
    expect(formatMoneyAxis(1_400_000, "zh-CN")).toBe("¥1.4万");
    expect(formatMoneyAxis(1_350_000, "en")).toBe("¥13.5K");
    expect(formatMoneyAxis(1_234_500, "zh-CN")).toBe("¥12,345"); // 1.2345万 cannot be shown in two decimals
    expect(formatMoneyAxis(350_000, "zh-CN")).toBe("¥3,500");
    expect(formatMoneyAxis(0, "zh-CN")).toBe("¥0");
  });
});

describe("rates", () => {
  it("percent with one decimal", () => {
    expect(formatPercent(0.123, "zh-CN")).toBe("12.3%");
    expect(formatPercent(35, "en")).toBe("3,500.0%");
  });
  it("axis ticks never repeat a label", () => {
    const ticks = [0.004, 0.0045, 0.005, 0.0055, 0.006];
    const f = percentAxisFormatter(ticks, "zh-CN");
    expect(ticks.map(f)).toEqual(["0.4%", "0.45%", "0.5%", "0.55%", "0.6%"]);
    expect([0, 0.05, 0.1].map(percentAxisFormatter([0, 0.05, 0.1], "zh-CN"))).toEqual(["0%", "5%", "10%"]);
  });
  it("a member-day discount as 折", () => {
    expect(formatDiscount(12, "zh-CN")).toBe("8.8折");
    expect(formatDiscount(10, "zh-CN")).toBe("9折");
    expect(formatDiscount(15, "zh-CN")).toBe("8.5折");
    expect(formatDiscount(12, "en")).toBe("12% off");
  });
});

describe("points", () => {
  it("are called 积分", () => {
    expect(formatPoints(12345, "zh-CN")).toBe("12,345 积分");
    expect(formatPoints(1, "en")).toBe("1 point");
    expect(formatPoints(-200, "en")).toBe("-200 points");
  });
});

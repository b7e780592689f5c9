import { describe, expect, it } from "vitest";
import { formatListRange } from "@/components/members/format";

describe("formatListRange", () => {
  it("shows the rows on the page and the exact total", () => {
    expect(formatListRange(1, 50, { count: 12345, exact: true }, "zh-CN", "约")).toBe("1–50 / 12,345");
    expect(formatListRange(51, 7, { count: 57, exact: true }, "en", "about")).toBe("51–57 / 57");
    expect(formatListRange(1, 0, { count: 0, exact: true }, "zh-CN", "约")).toBe("0 / 0");
  });
  it("marks an estimate and rounds it to two significant digits", () => {
    expect(formatListRange(1, 50, { count: 234_567, exact: false }, "zh-CN", "约")).toBe("1–50 / 约 230,000");
    expect(formatListRange(10_001, 50, { count: 10_049, exact: false }, "en", "about")).toBe("10,001–10,050 / about 10,000");
    expect(formatListRange(1, 50, { count: 1_050_000, exact: false }, "zh-CN", "约")).toBe("1–50 / 约 1,100,000");
  });
});

import { describe, expect, it } from "vitest";
import { businessDate, startOfBusinessDate, addMonths, addDays } from "@/lib/util/dates";

describe("business dates across time zones and DST", () => {
  it("Beijing (no DST): the day turns at 16:00Z", () => {
    expect(businessDate(new Date("2026-06-30T15:59:59Z"), "Asia/Shanghai")).toBe("2026-06-30");
    expect(businessDate(new Date("2026-06-30T16:00:00Z"), "Asia/Shanghai")).toBe("2026-07-01");
    expect(startOfBusinessDate("2026-07-01", "Asia/Shanghai").toISOString()).toBe("2026-06-30T16:00:00.000Z");
  });
  it("New York around the March DST switch (UTC−5 → UTC−4 on 8 March 2026)", () => {
    expect(startOfBusinessDate("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfBusinessDate("2026-03-09", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(businessDate(new Date("2026-03-09T03:59:00Z"), "America/New_York")).toBe("2026-03-08");
    expect(businessDate(new Date("2026-03-09T04:00:00Z"), "America/New_York")).toBe("2026-03-09");
  });
  it("Kathmandu's quarter-hour offset (UTC+5:45)", () => {
    expect(businessDate(new Date("2026-01-01T18:14:00Z"), "Asia/Kathmandu")).toBe("2026-01-01");
    expect(businessDate(new Date("2026-01-01T18:15:00Z"), "Asia/Kathmandu")).toBe("2026-01-02");
  });
  it("calendar arithmetic clamps month ends", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});

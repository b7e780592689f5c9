import { describe, expect, it } from "vitest";
import { change, defaultGranularity, parseFilters, presetRange, previousRange } from "@/lib/dashboards/range";
import { toCsv } from "@/components/charts/csv";

// Today is Monday 2026-03-02 (business date), a month after a 28-day February.
const TODAY = "2026-03-02";
const TIERS = ["basic", "silver", "gold"];

describe("dashboard date range presets", () => {
  it("each preset's [from, to], today included", () => {
    expect(presetRange("7d", TODAY)).toEqual({ from: "2026-02-24", to: "2026-03-02" }); // 5 Feb days + 2 March days
    expect(presetRange("30d", TODAY)).toEqual({ from: "2026-02-01", to: "2026-03-02" }); // 28 + 2
    expect(presetRange("month", TODAY)).toEqual({ from: "2026-03-01", to: "2026-03-02" });
    expect(presetRange("lastMonth", TODAY)).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(presetRange("12m", TODAY)).toEqual({ from: "2025-04-01", to: "2026-03-02" }); // 11 whole months + this one
  });

  it("the previous period has the same number of days and ends the day before", () => {
    expect(previousRange("2026-02-01", "2026-02-28")).toEqual({ from: "2026-01-04", to: "2026-01-31" }); // 28 days
    expect(previousRange("2026-03-01", "2026-03-02")).toEqual({ from: "2026-02-27", to: "2026-02-28" });
  });

  it("granularity follows the range length unless the URL names one", () => {
    expect(defaultGranularity("2026-02-01", "2026-03-02")).toBe("day"); // 30 days
    expect(defaultGranularity("2025-12-01", "2026-03-02")).toBe("week"); // 92 days
    expect(defaultGranularity("2025-04-01", "2026-03-02")).toBe("month");
  });

  it("parses the URL: range, custom dates, tier, granularity; bad values fall back", () => {
    expect(parseFilters({}, TODAY, TIERS)).toEqual({ preset: "30d", from: "2026-02-01", to: "2026-03-02", tier: null, granularity: "day" });
    expect(parseFilters({ range: "12m", tier: "gold" }, TODAY, TIERS)).toEqual({
      preset: "12m",
      from: "2025-04-01",
      to: "2026-03-02",
      tier: "gold",
      granularity: "month",
    });
    expect(parseFilters({ range: "custom", from: "2026-01-10", to: "2026-01-20", granularity: "week" }, TODAY, TIERS)).toEqual({
      preset: "custom",
      from: "2026-01-10",
      to: "2026-01-20",
      tier: null,
      granularity: "week",
    });
    // Reversed custom dates, an unknown tier and granularity: the default range, no tier, its granularity.
    expect(parseFilters({ range: "custom", from: "2026-01-20", to: "2026-01-10", tier: "platinum", granularity: "year" }, TODAY, TIERS)).toEqual({
      preset: "30d",
      from: "2026-02-01",
      to: "2026-03-02",
      tier: null,
      granularity: "day",
    });
  });

  it("change vs before: relative, null without a base", () => {
    expect(change(150, 120)).toBe(0.25);
    expect(change(90, 120)).toBe(-0.25);
    expect(change(5, 0)).toBeNull();
    expect(change(null, 3)).toBeNull();
  });
});

describe("CSV export", () => {
  it("header of labels, quoted cells where needed, empty for null, CRLF lines", () => {
    const csv = toCsv(
      [
        { key: "period", label: "周期" },
        { key: "name", label: "Name" },
        { key: "rate", label: "rate" },
      ],
      [
        { period: "2026-01-01", name: 'Gold, "VIP"', rate: 0.25 },
        { period: "2026-02-01", name: "Basic", rate: null },
      ],
    );
    expect(csv).toBe('周期,Name,rate\r\n2026-01-01,"Gold, ""VIP""",0.25\r\n2026-02-01,Basic,\r\n');
  });
});

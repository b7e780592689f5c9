import { describe, expect, it } from "vitest";
import { seedingFinished, seedingPercent, seedingProgress, seedingStarted, seedingStatus } from "@/lib/seed/seeding-status";

describe("seeding status", () => {
  it("reports the days done as a whole percent, 100 only once done", () => {
    seedingStarted(new Date("2026-12-08T01:00:00Z"));
    expect(seedingPercent(seedingStatus()!)).toBe(0);
    // 548 days (18 months): 137 done is 25 %, 547 done is 99.8 % → 99 until the aggregates are built.
    seedingProgress(137, 548, "2025-09-21");
    expect([seedingPercent(seedingStatus()!), seedingStatus()!.date]).toEqual([25, "2025-09-21"]);
    seedingProgress(548, 548, "2026-12-07");
    expect(seedingPercent(seedingStatus()!)).toBe(99);
    seedingFinished(true, new Date("2026-12-08T01:02:00Z"));
    expect([seedingStatus()!.state, seedingPercent(seedingStatus()!), seedingStatus()!.finishedAt]).toEqual(["done", 100, "2026-12-08T01:02:00.000Z"]);
  });
});

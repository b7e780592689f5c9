import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertAsOfAllowed } from "@/lib/engine/period";
import { lastEndedBusinessDay } from "@/lib/util/dates";

describe("the period job's asOf", () => {
  it("the last ended business day is the day before today in the merchant's time zone", () => {
    // 2026-03-01T15:59Z is 23:59 on 1 March in Shanghai (UTC+8); 16:30Z is 00:30 on 2 March.
    expect(lastEndedBusinessDay("Asia/Shanghai", new Date("2026-03-01T15:59:00Z"))).toBe("2026-02-28");
    expect(lastEndedBusinessDay("Asia/Shanghai", new Date("2026-03-01T16:30:00Z"))).toBe("2026-03-01");
    expect(lastEndedBusinessDay("UTC", new Date("2026-03-01T16:30:00Z"))).toBe("2026-02-28");
  });

  it("refuses a day that has not ended, naming asOf", () => {
    const now = new Date("2026-03-01T16:30:00Z");
    expect(() => assertAsOfAllowed("2026-03-01", "Asia/Shanghai", now)).not.toThrow();
    expect(() => assertAsOfAllowed("2020-01-01", "Asia/Shanghai", now)).not.toThrow();
    for (const asOf of ["2026-03-02", "2099-01-01"]) {
      const e = (() => {
        try {
          assertAsOfAllowed(asOf, "Asia/Shanghai", now);
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(AppError);
      expect([(e as AppError).code, (e as AppError).issues.map((i) => i.path)]).toEqual(["validation_failed", ["asOf"]]);
    }
    expect(() => assertAsOfAllowed("2026-03-01", "UTC", now)).toThrow(AppError);
  });
});

import { z } from "zod";
import { addMonths } from "@/lib/util/dates";

/** The longest range a metric query may span. */
export const MAX_RANGE_MONTHS = 36;

/** Metric dates are business dates from 2000 to 2100 (the database refuses some years, and none before 2000 holds events). */
const businessDate = z.iso
  .date({ error: "a date as YYYY-MM-DD" })
  .refine((d) => d >= "2000-01-01" && d <= "2100-12-31", "must be a date from 2000-01-01 to 2100-12-31");
/** An empty query parameter (`tier=`) means "not given". */
const blankAsUndefined = (v: unknown) => (v === "" ? undefined : v);

/** Query of `GET /api/v1/metrics/{name}`: `to` inclusive; business dates in the merchant's time zone. */
export const metricQuery = z
  .object({
    from: businessDate,
    to: businessDate,
    granularity: z.preprocess(blankAsUndefined, z.enum(["day", "week", "month"]).default("month")),
    tier: z.preprocess(
      blankAsUndefined,
      z
        .string()
        .regex(/^[a-z][a-z0-9_-]{0,39}$/, "a tier code")
        .optional(),
    ),
  })
  .superRefine((q, ctx) => {
    // Compare only two valid dates (a malformed one already has its own issue).
    if (!businessDate.safeParse(q.from).success || !businessDate.safeParse(q.to).success) return;
    if (q.from > q.to) ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after to" });
    else if (q.to >= addMonths(q.from, MAX_RANGE_MONTHS))
      ctx.addIssue({ code: "custom", path: ["to"], message: `the range may span at most ${MAX_RANGE_MONTHS} months` });
  });

export type MetricQuery = z.infer<typeof metricQuery>;

import { addDays, addMonths, isoWeekday } from "@/lib/util/dates";

export type Granularity = "day" | "week" | "month";

/** One period of a series: business dates `start`..`end`, both inclusive. `start` is its label. */
export interface Period {
  start: string;
  end: string;
}

/** The first business date of the calendar period (day, Monday-started week, month) holding `date`. */
export function periodStart(date: string, granularity: Granularity): string {
  if (granularity === "day") return date;
  if (granularity === "week") return addDays(date, 1 - isoWeekday(date));
  return `${date.slice(0, 7)}-01`;
}

function nextPeriodStart(start: string, granularity: Granularity): string {
  if (granularity === "day") return addDays(start, 1);
  if (granularity === "week") return addDays(start, 7);
  return addMonths(start, 1);
}

/**
 * The periods covering [from, to]: calendar days, ISO weeks (Monday first) or calendar months, the
 * first and last clipped to the range, so the first period starts at `from` and the last ends at `to`.
 */
export function periodsOf(from: string, to: string, granularity: Granularity): Period[] {
  const out: Period[] = [];
  let start = periodStart(from, granularity);
  while (start <= to) {
    const next = nextPeriodStart(start, granularity);
    out.push({ start: start < from ? from : start, end: addDays(next, -1) > to ? to : addDays(next, -1) });
    start = next;
  }
  return out;
}

/** The calendar months overlapping [from, to], as YYYY-MM-01. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = `${from.slice(0, 7)}-01`; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

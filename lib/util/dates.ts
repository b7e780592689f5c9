import { TZDate } from "@date-fns/tz";

// Time-zone offsets change at most a few times a year, and the engine asks for the business date
// of every event: remember each zone's offset per quarter hour (transitions fall on quarter hours).
const offsets = new Map<string, number>();
function offsetMs(timeZone: string, t: number): number {
  const key = `${timeZone}|${Math.floor(t / 900_000)}`;
  let o = offsets.get(key);
  if (o === undefined) {
    const d = new TZDate(t, timeZone);
    o = -d.getTimezoneOffset() * 60_000;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, o);
  }
  return o;
}

/** The business date (YYYY-MM-DD) of an instant in a time zone. */
export function businessDate(at: Date, timeZone: string): string {
  return new Date(at.getTime() + offsetMs(timeZone, at.getTime())).toISOString().slice(0, 10);
}

const starts = new Map<string, number>();
/** The instant a business date starts in a time zone. */
export function startOfBusinessDate(date: string, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  let t = starts.get(key);
  if (t === undefined) {
    const [y, m, d] = date.split("-").map(Number);
    t = new TZDate(y, m - 1, d, 0, 0, 0, timeZone).getTime();
    if (starts.size > 100_000) starts.clear();
    starts.set(key, t);
  }
  return new Date(t);
}

export const pad = (n: number) => String(n).padStart(2, "0");

/** Date arithmetic on plain YYYY-MM-DD strings (calendar days, no time zone involved). */
const addDaysMemo = new Map<string, string>();

export function addDays(date: string, days: number): string {
  // The engine asks the same few (date, days) pairs for every event of a batch: remember them.
  const key = `${date}|${days}`;
  const hit = addDaysMemo.get(key);
  if (hit !== undefined) return hit;
  const t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) + days * 86_400_000;
  const out = new Date(t).toISOString().slice(0, 10);
  if (addDaysMemo.size > 50_000) addDaysMemo.clear();
  addDaysMemo.set(key, out);
  return out;
}

export function addMonths(date: string, months: number): string {
  const y = +date.slice(0, 4);
  const m = +date.slice(5, 7) - 1 + months;
  const ny = y + Math.floor(m / 12);
  const nm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${ny}-${pad(nm + 1)}-${pad(Math.min(+date.slice(8, 10), last))}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO weekday 1 (Monday) .. 7 (Sunday) of a business date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function daysInMonth(date: string): number {
  return new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7), 0)).getUTCDate();
}

/** The last business day that has ended in a time zone at `now`: the day before today there. */
export function lastEndedBusinessDay(timeZone: string, now: Date = new Date()): string {
  return addDays(businessDate(now, timeZone), -1);
}

import { TZDate } from "@date-fns/tz";
import type { MessagingRules } from "@/lib/schemas/messages";
import { addDays, businessDate } from "@/lib/util/dates";

export type Delivery = { status: "sent" } | { status: "held"; heldUntil: Date } | { status: "capped" };

const DAY_MS = 86_400_000;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant a local time of day (HH:MM) falls on a business date in a time zone (DST-correct). */
function instantAt(date: string, hhmm: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(new TZDate(y, m - 1, d, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5)), 0, timeZone).getTime());
}

/** When the quiet window containing `at` ends, or null when `at` is outside the quiet hours. */
export function quietUntil(at: Date, quiet: NonNullable<MessagingRules["quietHours"]>, timeZone: string): Date | null {
  const local = new TZDate(at.getTime(), timeZone);
  const now = local.getHours() * 60 + local.getMinutes();
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return null;
  const today = businessDate(at, timeZone);
  const end = instantAt(today, quiet.to, timeZone);
  return end > at ? end : instantAt(addDays(today, 1), quiet.to, timeZone);
}

/**
 * What happens to one message: capped when the member already has `max` messages (sent or held,
 * not capped) timed in the `days` × 24 h up to it; otherwise held until the quiet window ends when
 * the moment it goes out (its own time, or now when that is later: a day's period job or a
 * history import runs after the fact) falls in the quiet hours; otherwise sent.
 * `earlier` are the member's messages' times already decided (not capped).
 */
export function decideDelivery(o: { at: Date; now: Date; earlier: Date[]; rules: Pick<MessagingRules, "frequencyCap" | "quietHours">; timeZone: string }): Delivery {
  const cap = o.rules.frequencyCap;
  if (cap) {
    const since = o.at.getTime() - cap.days * DAY_MS;
    const inWindow = o.earlier.filter((t) => t.getTime() > since && t.getTime() <= o.at.getTime()).length;
    if (inWindow >= cap.max) return { status: "capped" };
  }
  if (o.rules.quietHours) {
    const goesOut = o.at > o.now ? o.at : o.now;
    const until = quietUntil(goesOut, o.rules.quietHours, o.timeZone);
    if (until) return { status: "held", heldUntil: until };
  }
  return { status: "sent" };
}

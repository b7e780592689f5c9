import type { Batch, MemberState } from "@/lib/engine/batch";
import type { LoadedProgram } from "@/lib/program/store";
import { addDays, businessDate, startOfBusinessDate } from "@/lib/util/dates";
import { renderMessage, type MessageVariables } from "./render";

type Automation = LoadedProgram["automations"][number];

/**
 * The outbox row of an automation's message action. With a template of the program it carries the
 * template code, channel, language, rendered text and variables; a label from a program written
 * before templates goes out as before (the label as the row's template, no text).
 * `{couponCode}` is given by the database when the coupon is written: it is filled in, and the text
 * rendered again, when the message is released (lib/messages/release.ts).
 */
export function messageRow(
  b: Batch,
  m: MemberState,
  p: LoadedProgram,
  a: Automation,
  templateCode: string,
  o: { source: string; at: Date; date: string; payload: Record<string, unknown> },
) {
  const base = { memberId: m.memberId, template: templateCode, source: o.source, createdAt: o.at };
  const template = p.messaging.templates.find((t) => t.code === templateCode);
  if (!template) return { ...base, payload: { automation: a.code, ...o.payload } };
  const locale = p.messaging.defaultLocale;
  const tier = p.tiers.find((t) => t.code === m.tierCode);
  // The coupon an automation's grant-right action issued in this same firing (key `<firing>:<action index>`).
  const firing = o.source.slice(0, o.source.lastIndexOf(":"));
  const grantIndex = a.actions.findIndex((x) => x.kind === "grantRight");
  const grantAction = a.actions[grantIndex];
  const right = grantAction?.kind === "grantRight" ? p.rights.find((r) => r.code === grantAction.rightCode) : undefined;
  const couponSource = right ? `${firing}:${grantIndex}` : null;
  const expiring = a.trigger.kind === "pointsExpiringInDays" ? expiringPoints(b, m, p, o.date, a.trigger.days) : null;
  const variables: MessageVariables = {
    memberName: m.name,
    tier: tier ? tier.name[locale] : m.tierCode,
    points: m.pointsBalance,
    expiringPoints: expiring?.points ?? null,
    expiresOn: expiring?.on ?? null,
    couponName: right ? right.name[locale] : null,
    couponCode: null,
  };
  return {
    ...base,
    payload: {
      automation: a.code,
      ...o.payload,
      template: template.code,
      channel: template.channel,
      locale,
      text: renderMessage(template, locale, variables),
      variables,
      ...(couponSource ? { couponSource } : {}),
    },
  };
}

/** Points in the member's lots that expire by the end of `days` days after `date`, and the first date one does. */
function expiringPoints(b: Batch, m: MemberState, p: LoadedProgram, date: string, days: number) {
  const from = startOfBusinessDate(addDays(date, 1), p.timeZone).getTime();
  const until = startOfBusinessDate(addDays(date, days + 1), p.timeZone).getTime();
  const lots = b.lotsOf(m.memberId).filter((l) => l.remaining > 0 && l.expiresAt.getTime() > from && l.expiresAt.getTime() <= until);
  if (!lots.length) return { points: 0, on: null };
  const first = lots.reduce((x, l) => (l.expiresAt < x ? l.expiresAt : x), lots[0].expiresAt);
  return { points: lots.reduce((s, l) => s + l.remaining, 0), on: businessDate(new Date(first.getTime() - 1), p.timeZone) };
}

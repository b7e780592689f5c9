import { describe, expect, it } from "vitest";
import { renderMessage, type MessageVariables } from "@/lib/messages/render";
import { decideDelivery, quietUntil } from "@/lib/messages/delivery";
import { programInput } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";

const vars: MessageVariables = { memberName: "王小明", tier: "金卡会员", points: 1280, expiringPoints: 300, expiresOn: "2026-12-31", couponName: "¥20回归礼券", couponCode: "1042-318274", };

describe("renderMessage", () => {
  const t = { text: { zh: "{memberName}，您有 {expiringPoints} 积分将于 {expiresOn} 到期，共 {points} 积分（{tier}）。券：{couponName} {couponCode}", en: "Hi {memberName}: {points} points" } };
  it("replaces every variable in the member's language", () => {
    expect(renderMessage(t, "zh", vars)).toBe("王小明，您有 300 积分将于 2026-12-31 到期，共 1280 积分（金卡会员）。券：¥20回归礼券 1042-318274");
    expect(renderMessage(t, "en", vars)).toBe("Hi 王小明: 1280 points");
  });
  it("reads a missing name as 会员 / member and any other missing value as empty", () => {
    const none = { ...vars, memberName: null, couponCode: null };
    expect(renderMessage({ text: { zh: "{memberName}好，券码{couponCode}。", en: "Dear {memberName}" } }, "zh", none)).toBe("会员好，券码。");
    expect(renderMessage({ text: { zh: "x", en: "Dear {memberName}" } }, "en", none)).toBe("Dear member");
  });
  it("leaves a member name that looks like a variable as it is (rendered once, not again)", () => {
    expect(renderMessage({ text: { zh: "{memberName}/{tier}", en: "" } }, "zh", { ...vars, memberName: "{tier}" })).toBe("{tier}/金卡会员");
  });
});

describe("quiet hours and the frequency cap, hand-worked", () => {
  const night = { from: "21:00", to: "09:00" };
  it("Asia/Shanghai (UTC+8): 22:30 waits until 09:00 the next morning, 08:30 until 09:00 the same morning", () => {
    // 2026-12-01T14:30Z = 22:30 in Shanghai → 2026-12-02 09:00 Shanghai = 2026-12-02T01:00Z.
    expect(quietUntil(new Date("2026-12-01T14:30:00Z"), night, "Asia/Shanghai")).toEqual(new Date("2026-12-02T01:00:00Z"));
    // 2026-12-01T00:30Z = 08:30 → 09:00 the same day = 2026-12-01T01:00Z.
    expect(quietUntil(new Date("2026-12-01T00:30:00Z"), night, "Asia/Shanghai")).toEqual(new Date("2026-12-01T01:00:00Z"));
    // 21:00 sharp (13:00Z) is quiet; 09:00 sharp (01:00Z) and 20:59 (12:59Z) are not.
    expect(quietUntil(new Date("2026-12-01T13:00:00Z"), night, "Asia/Shanghai")).toEqual(new Date("2026-12-02T01:00:00Z"));
    expect(quietUntil(new Date("2026-12-01T01:00:00Z"), night, "Asia/Shanghai")).toBeNull();
    expect(quietUntil(new Date("2026-12-01T12:59:00Z"), night, "Asia/Shanghai")).toBeNull();
  });
  it("America/Los_Angeles: PST (UTC−8) in December, and the night the clocks go forward", () => {
    // 2026-12-02T06:30Z = 22:30 PST on 1 Dec → 09:00 PST on 2 Dec = 17:00Z.
    expect(quietUntil(new Date("2026-12-02T06:30:00Z"), night, "America/Los_Angeles")).toEqual(new Date("2026-12-02T17:00:00Z"));
    // 2026-03-08T07:00Z = 23:00 PST on 7 Mar; at 02:00 on 8 Mar the clocks go to 03:00 PDT (UTC−7): 09:00 PDT = 16:00Z.
    expect(quietUntil(new Date("2026-03-08T07:00:00Z"), night, "America/Los_Angeles")).toEqual(new Date("2026-03-08T16:00:00Z"));
  });
  it("a daytime window (12:00–14:00) does not wrap midnight", () => {
    const lunch = { from: "12:00", to: "14:00" };
    // 2026-12-01T05:00Z = 13:00 Shanghai → 14:00 = 06:00Z; 04:00Z = 12:00 quiet; 06:00Z = 14:00 not.
    expect(quietUntil(new Date("2026-12-01T05:00:00Z"), lunch, "Asia/Shanghai")).toEqual(new Date("2026-12-01T06:00:00Z"));
    expect(quietUntil(new Date("2026-12-01T04:00:00Z"), lunch, "Asia/Shanghai")).toEqual(new Date("2026-12-01T06:00:00Z"));
    expect(quietUntil(new Date("2026-12-01T06:00:00Z"), lunch, "Asia/Shanghai")).toBeNull();
    expect(quietUntil(new Date("2026-12-01T15:00:00Z"), lunch, "Asia/Shanghai")).toBeNull();
  });

  const cap = { frequencyCap: { max: 2, days: 7 }, quietHours: null };
  const d = (s: string) => new Date(s);
  it("at most 2 in any 7 × 24 h: the third within the window is capped, one a week after the first is not", () => {
    const earlier = [d("2026-12-01T02:00:00Z"), d("2026-12-03T02:00:00Z")];
    // 5 Dec: the window (28 Nov 02:00, 5 Dec 02:00] holds both → capped.
    expect(decideDelivery({ at: d("2026-12-05T02:00:00Z"), now: d("2026-12-05T02:00:00Z"), earlier, rules: cap, timeZone: "Asia/Shanghai" })).toEqual({ status: "capped" });
    // 8 Dec 02:00: the window (1 Dec 02:00, 8 Dec 02:00] leaves out 1 Dec 02:00 (exactly 7 days) → one in it → sent.
    expect(decideDelivery({ at: d("2026-12-08T02:00:00Z"), now: d("2026-12-08T02:00:00Z"), earlier, rules: cap, timeZone: "Asia/Shanghai" })).toEqual({ status: "sent" });
    // 8 Dec 01:59: 1 Dec 02:00 is still inside → capped.
    expect(decideDelivery({ at: d("2026-12-08T01:59:00Z"), now: d("2026-12-08T01:59:00Z"), earlier, rules: cap, timeZone: "Asia/Shanghai" })).toEqual({ status: "capped" });
  });
  it("a capped message is never held; a held one is judged at the later of its time and now", () => {
    const both = { frequencyCap: { max: 1, days: 1 }, quietHours: night };
    const at = d("2026-12-01T14:30:00Z"); // 22:30 Shanghai
    expect(decideDelivery({ at, now: at, earlier: [d("2026-12-01T10:00:00Z")], rules: both, timeZone: "Asia/Shanghai" })).toEqual({ status: "capped" });
    expect(decideDelivery({ at, now: at, earlier: [], rules: both, timeZone: "Asia/Shanghai" })).toEqual({ status: "held", heldUntil: d("2026-12-02T01:00:00Z") });
    // A period-job day's message timed at 00:00 Shanghai (16:00Z the day before) but queued at 10:00 (02:00Z): daytime → sent.
    expect(decideDelivery({ at: d("2026-11-30T16:00:00Z"), now: d("2026-12-01T02:00:00Z"), earlier: [], rules: both, timeZone: "Asia/Shanghai" })).toEqual({ status: "sent" });
    // Timed at 10:00 (daytime) but queued at 23:00 Shanghai (15:00Z) by a late import: held until 09:00 next morning.
    expect(decideDelivery({ at: d("2026-12-01T02:00:00Z"), now: d("2026-12-01T15:00:00Z"), earlier: [], rules: both, timeZone: "Asia/Shanghai" })).toEqual({ status: "held", heldUntil: d("2026-12-02T01:00:00Z") });
  });
});

describe("templates in the program", () => {
  const withTemplate = (zh: string, automation = demoProgram.automations[1]) =>
    programInput.safeParse({
      ...demoProgram,
      automations: [automation],
      messaging: { templates: [{ code: "tier_upgraded", channel: "sms", text: { zh, en: "Hi {memberName}" } }] },
    });
  it("an unknown variable is refused, naming the field", () => {
    const r = withTemplate("{memberName}，您的{tierName}");
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["messaging.templates.0.text.zh", "unknown variable {tierName}; use {memberName} {tier} {points} {expiringPoints} {expiresOn} {couponName} {couponCode}"],
    ]);
  });
  it("a message action must name a template once the program has templates", () => {
    const r = withTemplate("hi", { ...demoProgram.automations[1], actions: [{ kind: "message", template: "nope" }] });
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["automations.0.actions.0.template"]);
  });
  it("expiring points only for a points-expiring trigger; a coupon only with a grant", () => {
    const r = withTemplate("{expiringPoints} {couponCode}");
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["automations.0.actions.0.template", 'template "tier_upgraded" uses {expiringPoints}, which only a points-expiring trigger knows'],
      ["automations.0.actions.0.template", 'template "tier_upgraded" uses {couponCode}, which needs a "grant right" action in this automation'],
    ]);
  });
  it("quiet hours that start when they end are refused", () => {
    const r = programInput.safeParse({ ...demoProgram, messaging: { quietHours: { from: "21:00", to: "21:00" } } });
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["messaging.quietHours.to"]);
  });
  it("a program written before templates (a free-text label, no messaging) still imports, with no cap and no quiet hours", () => {
    const { messaging: _, ...old } = demoProgram;
    const r = programInput.parse({ ...old, automations: [{ ...demoProgram.automations[1], actions: [{ kind: "message", template: "升级祝贺" }] }] });
    expect(r.messaging).toEqual({ defaultLocale: "zh", templates: [], frequencyCap: null, quietHours: null });
    expect(r.automations[0].actions).toEqual([{ kind: "message", template: "升级祝贺" }]);
  });
  it("the demo program's templates are valid, Chinese first", () => {
    const p = programInput.parse(demoProgram);
    expect(p.messaging.templates.map((t) => [t.code, t.channel])).toEqual([["tier_upgraded", "wechat_subscribe"], ["points_expiring", "sms"]]);
  });
});

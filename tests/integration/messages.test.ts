import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { outbox, rightInstances } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { sequenceOutbox } from "@/lib/outbox/sequence";
import { readOutbox } from "@/lib/outbox/read-outbox";
import { automationMessageCounts } from "@/lib/messages/stats";
import type { ProgramInput } from "@/lib/schemas/program";
import { testDatabases } from "../db";

const [, upgradeWelcome, , pointsExpiring] = demoProgram.automations;
const night = { from: "21:00", to: "09:00" };

/** Shanghai: an upgrade grants the ¥10 coupon and sends a message naming it; at most 2 messages a week; quiet 21:00–09:00. */
const shanghai: ProgramInput = {
  ...demoProgram,
  automations: [{ ...upgradeWelcome, actions: [{ kind: "grantRight", rightCode: "coupon_10" }, { kind: "message", template: "tier_upgraded" }] }, pointsExpiring],
  messaging: {
    templates: [
      { code: "tier_upgraded", channel: "wechat_subscribe", text: { zh: "{memberName}升级为{tier}，积分{points}，赠{couponName}（券码{couponCode}）", en: "{memberName} is now {tier}" } },
      demoProgram.messaging!.templates![1],
    ],
    frequencyCap: { max: 2, days: 7 },
    quietHours: night,
  },
};

/** Los Angeles: a message on upgrade, quiet 22:00–07:00, no cap. */
const losAngeles: ProgramInput = {
  ...demoProgram,
  timeZone: "America/Los_Angeles",
  automations: [upgradeWelcome],
  messaging: { templates: [{ code: "tier_upgraded", channel: "sms", text: { zh: "{memberName}升级为{tier}", en: "{memberName} is now {tier}" } }], quietHours: { from: "22:00", to: "07:00" } },
};

const reg = (m: string, at: string, name: string) => ({ id: `reg-${m}`, type: "member.registered", occurredAt: at, memberId: m, data: { name } });
const order = (id: string, m: string, at: string, amount: number) => ({ id, type: "order.paid", occurredAt: at, memberId: m, data: { orderId: id, amount } });

describe.each(testDatabases)("message templates, frequency cap and quiet hours on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  let n = 0;
  const merchant = async (program: ProgramInput) => {
    const id = (await createMerchant(db, { slug: `msg-${++n}`, name: "M" })).id;
    await saveProgram(db, id, program);
    return id;
  };
  const ingest = async (m: string, events: unknown[]) => {
    const r = await ingestEvents(db, m, events);
    expect(r.filter((x) => x.status !== "applied"), JSON.stringify(r)).toEqual([]);
  };
  const rows = (m: string, memberId: string) =>
    db.select().from(outbox).where(and(eq(outbox.merchantId, m), eq(outbox.memberId, memberId))).orderBy(asc(outbox.id));
  const feed = async (m: string) =>
    (await db.select({ seq: outbox.seq, memberId: outbox.memberId, createdAt: outbox.createdAt }).from(outbox).where(eq(outbox.merchantId, m)).orderBy(asc(outbox.seq)))
      .filter((r) => r.seq !== null)
      .map((r) => r.createdAt.toISOString());

  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("Asia/Shanghai: renders the template with the coupon's code; the second message waits until 09:00; the third in a week is capped", async () => {
    const m = await merchant(shanghai);
    await ingest(m, [reg("M", "2026-03-01T10:00:00+08:00", "王小明")]);
    // ¥1,000 on 2 Mar 10:00 (02:00Z): 1,000 points and growth → silver; 10:00 is outside the quiet hours.
    await ingest(m, [order("o1", "M", "2026-03-02T10:00:00+08:00", 100_000)]);
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-02T02:00:00Z"));
    expect(await feed(m)).toEqual(["2026-03-02T02:00:00.000Z"]);
    // ¥4,000 on 3 Mar 22:30 (14:30Z): growth 5,000 → gold, points 1,000 + 4,000 = 5,000; 22:30 is quiet → held until 4 Mar 09:00 = 01:00Z.
    await ingest(m, [order("o2", "M", "2026-03-03T22:30:00+08:00", 400_000)]);
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-03T14:30:00Z"));
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-04T00:59:00Z"));
    expect(await feed(m)).toEqual(["2026-03-02T02:00:00.000Z"]);
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-04T01:00:00Z"));
    expect(await feed(m)).toEqual(["2026-03-02T02:00:00.000Z", "2026-03-03T14:30:00.000Z"]);
    // ¥15,000 on 5 Mar 10:00 (02:00Z): growth 20,000 → diamond; the week (26 Feb 02:00Z, 5 Mar 02:00Z] already holds 2 messages → capped.
    await ingest(m, [order("o3", "M", "2026-03-05T10:00:00+08:00", 1_500_000)]);
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-05T02:00:00Z"));

    const msgs = await rows(m, "M");
    expect(msgs.map((r) => [r.template, r.status, r.heldUntil?.toISOString() ?? null, r.seq === null ? null : "in feed"])).toEqual([
      ["tier_upgraded", "sent", null, "in feed"],
      ["tier_upgraded", "held", "2026-03-04T01:00:00.000Z", "in feed"],
      ["tier_upgraded", "capped", null, null],
    ]);
    const codes = (await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.memberId, "M"))).orderBy(asc(rightInstances.issuedAt)))
      .filter((r) => r.rightCode === "coupon_10")
      .map((r) => r.code);
    expect(codes).toHaveLength(3);
    expect(msgs[0].payload).toEqual({
      automation: "upgrade_welcome",
      tier: "silver",
      template: "tier_upgraded",
      channel: "wechat_subscribe",
      locale: "zh",
      text: `王小明升级为银卡会员，积分1000，赠¥10无门槛券（券码${codes[0]}）`,
      variables: { memberName: "王小明", tier: "银卡会员", points: 1000, expiringPoints: null, expiresOn: null, couponName: "¥10无门槛券", couponCode: codes[0] },
    });
    expect((msgs[1].payload as { text: string }).text).toBe(`王小明升级为金卡会员，积分5000，赠¥10无门槛券（券码${codes[1]}）`);

    // The automation page's counts for the 30 days up to 5 Mar 02:00Z: 1 sent, 1 held (released), 1 capped.
    expect(await automationMessageCounts(db, m, new Date("2026-03-05T02:00:00Z"))).toEqual({ upgrade_welcome: { sent: 1, held: 1, waiting: 0, capped: 1, pending: 0 } });

    // The API's feed: the sent and the released message, in the order they entered it; the capped one never.
    const page = await readOutbox(db, m, { limit: 100 });
    expect(page.messages.map((x) => [x.memberId, x.payload.tier])).toEqual([
      ["M", "silver"],
      ["M", "gold"],
    ]);
  });

  it("America/Los_Angeles: 23:00 PST on the night the clocks go forward waits until 07:00 PDT", async () => {
    const m = await merchant(losAngeles);
    await ingest(m, [reg("L", "2026-03-07T10:00:00-08:00", "Lee")]);
    // 7 Mar 23:00 PST = 8 Mar 07:00Z → silver → held until 8 Mar 07:00 PDT (UTC−7) = 14:00Z.
    await ingest(m, [order("l1", "L", "2026-03-07T23:00:00-08:00", 100_000)]);
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-08T07:00:00Z"));
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-08T13:59:00Z"));
    expect(await feed(m)).toEqual([]);
    const [held] = await rows(m, "L");
    expect([held.status, held.heldUntil?.toISOString()]).toEqual(["held", "2026-03-08T14:00:00.000Z"]);
    expect(held.payload).toMatchObject({ channel: "sms", locale: "zh", text: "Lee升级为银卡会员" });
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-08T14:00:00Z"));
    expect(await feed(m)).toEqual(["2026-03-08T07:00:00.000Z"]);
  });

  it("the period job's expiry reminder names the expiring points and their last day, and waits for the morning when run at midnight", async () => {
    const m = await merchant(shanghai);
    // ¥500 on 2025-03-10: a lot of 500 points, valid through 2026-03-10 (12 months), gone at the start of 2026-03-11.
    await ingest(m, [reg("P", "2025-03-10T09:00:00+08:00", "李雷"), order("p1", "P", "2025-03-10T12:00:00+08:00", 50_000)]);
    // 30 days before: the reminder fires on 2026-02-08 (expiry within (start of 9 Feb, start of 11 Mar]).
    await runPeriodJob(db, m, "2026-02-08", { from: "2026-02-08", analyze: false });
    // The day's job runs right after its end: 9 Feb 00:05 Shanghai = 8 Feb 16:05Z → held until 9 Feb 09:00 = 01:00Z.
    await sequenceOutbox(db, m, 5_000, new Date("2026-02-08T16:05:00Z"));
    const [msg] = await rows(m, "P");
    expect(msg.template).toBe("points_expiring");
    expect([msg.status, msg.heldUntil?.toISOString()]).toEqual(["held", "2026-02-09T01:00:00.000Z"]);
    expect(msg.payload).toMatchObject({
      channel: "sms",
      text: "李雷您好，您有 500 积分将于 2026-03-10 起陆续到期（当前共 500 积分），记得到店或积分商城使用哦。",
      variables: { memberName: "李雷", tier: "普通会员", points: 500, expiringPoints: 500, expiresOn: "2026-03-10", couponName: null, couponCode: null },
    });
  });

  it("a version stored before templates (no messaging, a free-text label) loads with none and sends the label as before", async () => {
    const { messaging: _, ...old } = demoProgram;
    const m = await merchant({ ...old, automations: [{ ...upgradeWelcome, actions: [{ kind: "message", template: "升级祝贺" }] }] });
    await db.execute(sql`update program_versions set messaging = null where merchant_id = ${m}`);
    await ingest(m, [reg("O", "2026-03-01T10:00:00+08:00", "老会员"), order("oo", "O", "2026-03-01T23:00:00+08:00", 100_000)]);
    await sequenceOutbox(db, m, 5_000, new Date("2026-03-01T15:00:00Z"));
    const [msg] = await rows(m, "O");
    expect([msg.template, msg.payload, msg.status, msg.seq === null]).toEqual(["升级祝贺", { automation: "upgrade_welcome", tier: "silver" }, "sent", false]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, like } from "drizzle-orm";
import type { Database } from "@/db/client";
import { automationFirings, rightInstances } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { currentProgram, saveProgram, toExport } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import type { ProgramInput } from "@/lib/schemas/program";
import { memberships } from "@/lib/metrics/memberships";
import { testDatabases } from "../db";

// A one-month plan: 1 免邮券 at each purchase, 1 × 9折券 monthly; the automation messages 7 days before a card ends.
const program: ProgramInput = {
  ...demoProgram,
  plans: [
    {
      code: "month",
      name: "月卡",
      nameEn: "Monthly card",
      months: 1,
      price: 1990,
      points: null,
      rights: [
        { right: "free_shipping", quantity: 1, cadence: "on_start" },
        { right: "coupon_90", quantity: 1, cadence: "monthly" },
      ],
    },
  ],
  messaging: {
    ...demoProgram.messaging,
    templates: [
      ...(demoProgram.messaging?.templates ?? []),
      { code: "card_expiring", channel: "sms", text: { zh: "{memberName}，您的会员卡即将到期，续费可继续享受会员权益。", en: "{memberName}, your membership card ends soon: renew to keep its benefits." } },
    ],
  },
  automations: [{ code: "card_expiring", name: { zh: "会员卡到期提醒", en: "Card expiring" }, trigger: { kind: "membershipExpiringInDays", days: 7 }, actions: [{ kind: "message", template: "card_expiring" }] }],
};

describe.each(testDatabases)("paid membership in the period job on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  const ev = (id: string, type: string, occurredAt: string, memberId: string, data: Record<string, unknown>) => ({ id, type, occurredAt, memberId, data });

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "svip-period", name: "Period" })).id;
    await saveProgram(database.db, merchantId, program);
    const res = await ingestEvents(database.db, merchantId, [
      ev("r-D", "member.registered", "2026-01-20T10:00:00+08:00", "D", {}),
      ev("r-E", "member.registered", "2026-01-20T10:00:00+08:00", "E", {}),
      // Both buy on Jan 31 20:30 Shanghai: the card ends Feb 28 20:30 (February has no 31st).
      ev("p-D", "membership.purchased", "2026-01-31T20:30:00+08:00", "D", { purchaseId: "D1", plan: "month", amount: 1990 }),
      ev("p-E1", "membership.purchased", "2026-01-31T20:30:00+08:00", "E", { purchaseId: "E1", plan: "month", amount: 1990 }),
      // E renews on Feb 10: + 1 month from Feb 28 20:30 → Mar 28 20:30.
      ev("p-E2", "membership.purchased", "2026-02-10T09:00:00+08:00", "E", { purchaseId: "E2", plan: "month", amount: 1990 }),
    ]);
    expect(res.map((r) => r.status)).toEqual(["applied", "applied", "applied", "applied", "applied"]);
    await runPeriodJob(database.db, merchantId, "2026-04-02", { analyze: false });
  }, 120_000);
  afterAll(() => database.close());

  const monthly = async (memberId: string) =>
    (
      await database.db
        .select({ source: rightInstances.source, issuedDate: rightInstances.issuedDate })
        .from(rightInstances)
        .where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, memberId), like(rightInstances.source, "membership:%:20%")))
        .orderBy(rightInstances.source)
    ).map((r) => `${r.source} @${r.issuedDate}`);

  it("the program's export carries its plans as saved (import/export round trip)", async () => {
    const exported = toExport(await currentProgram(database.db, merchantId));
    expect(exported.plans).toEqual(program.plans);
    // An export imports again as the same program (plans included).
    await saveProgram(database.db, merchantId, exported, { effectiveFrom: new Date("2099-01-01T00:00:00Z") });
    expect(toExport(await currentProgram(database.db, merchantId)).plans).toEqual(program.plans);
  });

  it("monthly plan rights: at the card's start, then on each 1st while it runs, never twice", async () => {
    // D: January's at the start (Jan 31), February's on Feb 1; the card ended Feb 28: nothing on Mar 1.
    expect(await monthly("D")).toEqual(["membership:D1:2026-01:coupon_90:1.0 @2026-01-31", "membership:D1:2026-02:coupon_90:1.0 @2026-02-01"]);
    // E: the same, then March's on Mar 1 under the renewal E2 (its time covers Mar 1); none on Apr 1.
    expect(await monthly("E")).toEqual([
      "membership:E1:2026-01:coupon_90:1.0 @2026-01-31",
      "membership:E1:2026-02:coupon_90:1.0 @2026-02-01",
      "membership:E2:2026-03:coupon_90:1.0 @2026-03-01",
    ]);
  });

  it("“membership expiring in 7 days” fires 7 days before a card's end, not before the end a renewal moved", async () => {
    const fired = await database.db
      .select({ memberId: automationFirings.memberId, occasion: automationFirings.occasion, firedDate: automationFirings.firedDate })
      .from(automationFirings)
      .where(and(eq(automationFirings.merchantId, merchantId), eq(automationFirings.automationCode, "card_expiring")))
      .orderBy(automationFirings.memberId);
    expect(fired).toEqual([
      { memberId: "D", occasion: "card-ends:2026-02-28", firedDate: "2026-02-21" },
      { memberId: "E", occasion: "card-ends:2026-03-28", firedDate: "2026-03-21" },
    ]);
  });

  it("KPI memberships by month: active at the end, starts, renewals, ends, renewal rate, revenue", async () => {
    const r = await memberships(database.db, { merchantId, from: "2026-01-01", to: "2026-04-30", granularity: "month" });
    // Jan: D1 and E1 bought Jan 31 (¥19.90 each), both running at the end of January.
    // Feb: E2 renews E1 while it runs (renewed); D1 ends Feb 28 and D buys nothing after (rate 0/1); only E holds a card on Mar 1.
    // Mar: E's card (E1 + E2) ends Mar 28; Apr: nothing (rate null: no card ended).
    expect(r.series).toEqual([
      { period: "2026-01-01", active: 2, started: 2, renewed: 0, ended: 0, renewalRate: null, revenue: 3980 },
      { period: "2026-02-01", active: 1, started: 1, renewed: 1, ended: 1, renewalRate: 0, revenue: 1990 },
      { period: "2026-03-01", active: 0, started: 0, renewed: 0, ended: 1, renewalRate: 0, revenue: 0 },
      { period: "2026-04-01", active: 0, started: 0, renewed: 0, ended: 0, renewalRate: null, revenue: 0 },
    ]);
    expect(r.total).toEqual({ active: 0, started: 3, renewed: 1, ended: 2, renewalRate: 0, revenue: 5970 });
  });
});

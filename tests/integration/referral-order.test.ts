import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { pointsLedger } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import { programInput, type ProgramInput } from "@/lib/schemas/program";
import { testDatabases } from "../db";

/**
 * 邀请成功下单双方奖励 with 300 points for the referrer, 100 for the referee, at most 2 rewarded
 * referrals per referrer per month (Asia/Shanghai). R referred A, B, C and D:
 *   A first order 2026-03-05, B 2026-03-06 (R: 2 this month), C 2026-03-06 (R capped: C still gets
 *   100), A's second order 2026-03-07 (no reward), D first order 2026-04-01 (a new month: R again).
 * So R: 300 (A) + 300 (B) + 300 (D) = 900; A, B, C, D 100 each.
 */
const program: ProgramInput = {
  ...demoProgram,
  automations: [],
  points: { ...demoProgram.points, referralOrder: { referrer: 300, referee: 100, monthlyCapPerReferrer: 2 } },
};

describe.each(testDatabases)("referral rewards on the referee's first paid order on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  const ev = (id: string, type: string, occurredAt: string, memberId: string, data: Record<string, unknown>) => ({ id, type, occurredAt, memberId, data });
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "referral-order", name: "Referral" })).id;
    await saveProgram(database.db, merchantId, program);
    const res = await ingestEvents(database.db, merchantId, [
      ev("r-R", "member.registered", "2026-03-01T10:00:00+08:00", "R", {}),
      ...["A", "B", "C", "D"].map((x) => ev(`r-${x}`, "member.registered", "2026-03-02T10:00:00+08:00", x, { referrerId: "R" })),
      ev("o-A1", "order.paid", "2026-03-05T10:00:00+08:00", "A", { orderId: "A1", amount: 1000 }),
      ev("o-B1", "order.paid", "2026-03-06T10:00:00+08:00", "B", { orderId: "B1", amount: 1000 }),
      ev("o-C1", "order.paid", "2026-03-06T23:30:00+08:00", "C", { orderId: "C1", amount: 1000 }),
      ev("o-A2", "order.paid", "2026-03-07T10:00:00+08:00", "A", { orderId: "A2", amount: 1000 }),
      ev("o-D1", "order.paid", "2026-04-01T00:10:00+08:00", "D", { orderId: "D1", amount: 1000 }),
    ]);
    expect(res.map((r) => r.status)).toEqual(Array(10).fill("applied"));
    await runPeriodJob(database.db, merchantId, "2026-04-02", { analyze: false });
  }, 120_000);
  afterAll(() => database.close());

  it("gives both sides their points once, at the end of the first order's business day, the referrer at most twice a month", async () => {
    const rows = await database.db
      .select({ memberId: pointsLedger.memberId, delta: pointsLedger.delta, source: pointsLedger.source, date: pointsLedger.businessDate, reasonCode: pointsLedger.reasonCode })
      .from(pointsLedger)
      .where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.rule, "referral_order")))
      .orderBy(asc(pointsLedger.businessDate), asc(pointsLedger.memberId), asc(pointsLedger.source));
    expect(rows.map((r) => [r.date, r.memberId, r.delta, r.source])).toEqual([
      ["2026-03-05", "A", 100, "referral-order:A:referee"],
      ["2026-03-05", "R", 300, "referral-order:A:referrer"],
      ["2026-03-06", "B", 100, "referral-order:B:referee"],
      ["2026-03-06", "C", 100, "referral-order:C:referee"],
      ["2026-03-06", "R", 300, "referral-order:B:referrer"],
      ["2026-04-01", "D", 100, "referral-order:D:referee"],
      ["2026-04-01", "R", 300, "referral-order:D:referrer"],
    ]);
    expect(new Set(rows.map((r) => r.reasonCode))).toEqual(new Set(["referral_order_referee", "referral_order_referrer"]));
  });

  it("reads old programs with no reward and refuses a negative reward or a zero cap, naming the field", () => {
    const old = structuredClone(demoProgram) as ProgramInput & { points: { referralOrder?: unknown } };
    delete old.points.referralOrder;
    expect(programInput.parse(old).points.referralOrder).toEqual({ referrer: 0, referee: 0, monthlyCapPerReferrer: null });
    const bad = programInput.safeParse({ ...demoProgram, points: { ...demoProgram.points, referralOrder: { referrer: -1, referee: 100, monthlyCapPerReferrer: 0 } } });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["points.referralOrder.referrer", "points.referralOrder.monthlyCapPerReferrer"]);
  });
});

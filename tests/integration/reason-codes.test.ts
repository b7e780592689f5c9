import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { growthLedger, pointsLedger, tierHistory } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { demoProgram } from "@/lib/program/demo-program";
import { saveProgram } from "@/lib/program/store";
import { memberLedger } from "@/lib/members/read-member";
import { memberDetail } from "@/lib/members/member-detail";
import { adjustMember } from "@/lib/members/points-ops";
import type { Actor } from "@/lib/auth/actor";
import type { ProgramInput } from "@/lib/schemas/program";
import { testDatabases } from "../db";

// The demo program without campaigns (no day is special), points expiring after 1 month.
const program: ProgramInput = { ...demoProgram, campaigns: [], points: { ...demoProgram.points, expiry: { kind: "rollingMonths", months: 1 } } };

let slugs = 0;

describe.each(testDatabases)("reason codes on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("stores each engine row's code and parameters and renders them per locale", async () => {
    const m = (await createMerchant(db, { slug: `rc-${++slugs}`, name: "R" })).id;
    await saveProgram(db, m, program);
    const r = await ingestEvents(db, m, [
      { id: "r1", type: "member.registered", occurredAt: "2026-10-20T09:00:00+08:00", memberId: "A", data: {} },
      // ¥1,000.00 at 1 point and 1 growth per yuan, basic tier 100%: 1,000 points, 1,000 growth → silver (≥ 1,000).
      { id: "o1", type: "order.paid", occurredAt: "2026-10-20T10:00:00+08:00", memberId: "A", data: { orderId: "SO-1", amount: 100_000 } },
    ]);
    expect(r.map((x) => x.status)).toEqual(["applied", "applied"]);

    const tiers = await db.select().from(tierHistory).where(and(eq(tierHistory.merchantId, m), eq(tierHistory.memberId, "A"))).orderBy(asc(tierHistory.id));
    expect(tiers.map((t) => [t.direction, t.reasonCode, t.reasonParams])).toEqual([
      ["initial", "registered", {}],
      ["up", "upgraded", { mode: "any", conditions: [{ measure: "growth", window: "lifetime", actual: 1000, value: 1000 }] }],
    ]);
    const points = await db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.memberId, "A"))).orderBy(asc(pointsLedger.id));
    expect(points.map((p) => [p.delta, p.reasonCode, p.reasonParams])).toEqual([
      [100, "automation_bonus", { name: { zh: "新人礼包", en: "New-member pack" } }],
      [1000, "order", { orderId: "SO-1", amount: 100_000, perYuan: 1, tierPct: 100, campaignPct: 100 }],
    ]);
    // The English text stays beside the code, as before.
    expect(points[1].reason).toBe("order SO-1 ¥1,000.00 × 1/yuan × tier 100% × campaign 100%");
    const [growth] = await db.select().from(growthLedger).where(and(eq(growthLedger.merchantId, m), eq(growthLedger.memberId, "A")));
    expect([growth.reasonCode, growth.reasonParams]).toEqual(["order_growth", { orderId: "SO-1", amount: 100_000, perYuan: 1 }]);

    // Both lots (100 and 1,000) end with 2026-11-20: the period job expires them, with a code.
    await runPeriodJob(db, m, "2026-11-21", { analyze: false });
    const zh = await memberLedger(db, m, "A", null, 50, "zh-CN");
    expect(zh.entries.map((e) => [e.delta, e.reasonCode, e.reason])).toEqual([
      [-1000, "expired", "积分过期：订单获得的积分"],
      [-100, "expired", "积分过期：自动化 · 注册时获得的积分"],
      [1000, "order", "订单 SO-1 ¥1,000.00 × 每元 1 积分 × 等级 100% × 活动 100%"],
      [100, "automation_bonus", "自动化「新人礼包」：奖励积分"],
    ]);
    const en = await memberLedger(db, m, "A", null, 50, "en");
    expect(en.entries.map((e) => e.reason)).toEqual([
      "expired: points from order",
      "expired: points from automation · on registering",
      "order SO-1 ¥1,000.00 × 1/yuan × tier 100% × campaign 100%",
      "automation New-member pack: bonus points",
    ]);

    const d = await memberDetail(db, m, "A", { fullPhone: false, locale: "zh-CN", now: new Date("2026-11-22T00:00:00Z") });
    expect(d.tierHistory.map((h) => h.reason)).toEqual(["升级：累计成长值 1,000 ≥ 1,000", "注册"]);
    expect(d.growth.map((g) => g.reason)).toEqual(["订单 SO-1 ¥1,000.00 × 每元 1 成长值"]);
    expect(d.points.map((p) => p.sourceText)).toEqual(["积分过期", "积分过期", "订单", "自动化 · 注册时"]);
  });

  it("codes an operator's adjustment, and an old row without a code still reads in Chinese", async () => {
    const m = (await createMerchant(db, { slug: `rc-${++slugs}`, name: "R" })).id;
    await saveProgram(db, m, program);
    await ingestEvents(db, m, [{ id: "r1", type: "member.registered", occurredAt: "2026-10-20T09:00:00+08:00", memberId: "B", data: {} }]);
    const actor = { kind: "user", email: "ops@shop.cn", role: "operator", merchantId: m } as unknown as Actor;
    await adjustMember(db, m, "B", { measure: "points", delta: 50, reason: "补录" }, actor);
    // A row as the engine wrote it before codes: English text only.
    await db.insert(pointsLedger).values({ merchantId: m, memberId: "B", delta: 0, kind: "earn", source: "checkin:B:2026-10-21", rule: "checkin", reason: "check-in (streak 2)", occurredAt: new Date("2026-10-21T01:00:00Z"), businessDate: "2026-10-21" });
    const zh = await memberLedger(db, m, "B", null, 50, "zh-CN");
    expect(zh.entries.map((e) => [e.delta, e.reasonCode, e.reason])).toEqual([
      [0, "checkin", "签到（连续 2 天）"],
      [50, "manual", "人工调整：补录（ops@shop.cn）"],
      [100, "automation_bonus", "自动化「新人礼包」：奖励积分"],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { members, tierHistory } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { demoProgram } from "@/lib/program/demo-program";
import { saveProgram } from "@/lib/program/store";
import { programInput, type ProgramInput } from "@/lib/schemas/program";
import { reasonView } from "@/lib/reasons";
import { testDatabases } from "../db";

// The seeds' 0元升级: "新用户注册即可获银卡权益，7天内消费满1笔升级金卡". No campaigns or automations.
const program: ProgramInput = { ...demoProgram, campaigns: [], automations: [], trial: { tierCode: "silver", days: 7, kind: "firstOrderUpgrade", upgradeTo: "gold" } };

const reg = (id: string) => ({ id: `reg-${id}`, type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: id, data: {} });
const paid = (id: string, member: string, at: string) => ({ id, type: "order.paid", occurredAt: at, memberId: member, data: { orderId: id, amount: 5_000 } });

describe("0元升级 in the program schema", () => {
  it("needs a higher tier to move up to", () => {
    const bad = programInput.safeParse({ ...program, trial: { tierCode: "gold", days: 7, kind: "firstOrderUpgrade", upgradeTo: "silver" } });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["trial.upgradeTo", "must rank above the start tier"]]);
    const none = programInput.safeParse({ ...program, trial: { tierCode: "silver", days: 7, kind: "firstOrderUpgrade" } });
    expect(none.success ? [] : none.error.issues.map((i) => i.path.join("."))).toEqual(["trial.upgradeTo"]);
    expect(programInput.safeParse(program).success).toBe(true);
  });
});

describe.each(testDatabases)("0元升级 in the engine on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("starts new members in silver and moves a first order within 7 days to gold", async () => {
    const m = (await createMerchant(db, { slug: "zero-up", name: "Z" })).id;
    await saveProgram(db, m, program);
    const r = await ingestEvents(db, m, [
      reg("A"),
      reg("B"),
      reg("C"),
      reg("D"),
      // A: 6 days 23 hours after registering → gold. B: 7 days 1 hour → stays silver.
      paid("a1", "A", "2026-03-08T08:00:00+08:00"),
      paid("b1", "B", "2026-03-08T10:00:00+08:00"),
      // C: a first order on day 2 → gold; the second changes nothing. D never orders: silver.
      paid("c1", "C", "2026-03-03T10:00:00+08:00"),
      paid("c2", "C", "2026-03-04T10:00:00+08:00"),
    ]);
    expect(r.every((x) => x.status === "applied")).toBe(true);
    const rows = await db.select({ id: members.memberId, tier: members.tierCode, trialUntil: members.trialUntil }).from(members).where(eq(members.merchantId, m)).orderBy(members.memberId);
    expect(rows).toEqual([
      { id: "A", tier: "gold", trialUntil: null },
      { id: "B", tier: "silver", trialUntil: null },
      { id: "C", tier: "gold", trialUntil: null },
      { id: "D", tier: "silver", trialUntil: null },
    ]);
    const history = await db.select().from(tierHistory).where(and(eq(tierHistory.merchantId, m), eq(tierHistory.memberId, "A"))).orderBy(asc(tierHistory.id));
    expect(history.map((h) => [h.direction, h.fromTier, h.toTier, reasonView(h, "zh-CN").reason])).toEqual([
      ["initial", null, "silver", "注册即享银卡会员权益，7 天内首笔订单升级金卡会员"],
      ["up", "silver", "gold", "注册 7 天内完成首笔订单，升级为金卡会员"],
    ]);
  });
});

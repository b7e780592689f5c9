import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, members, tierHistory } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { listMembers } from "@/lib/members/list-members";
import { exportMembers } from "@/lib/members/export-members";
import { memberDetail } from "@/lib/members/member-detail";
import { adjustMember } from "@/lib/members/points-ops";
import { grantRight, setTierManually } from "@/lib/members/operator-actions";
import { createImportJob, getImportJobOrThrow } from "@/lib/members/import-csv";
import { saveUpload } from "@/lib/members/import-files";
import { parseMemberListQuery } from "@/lib/schemas/members";
import { encodeGbk } from "@/lib/csv/decode";
import { parseCsv } from "@/lib/csv/parse";
import { testDatabases } from "../db";

const TZ = { timeZone: "Asia/Shanghai", fullPhone: true };
const q = (p: Record<string, string>) => parseMemberListQuery(p);

describe.each(testDatabases)("members workspace on $name", ({ name, open }) => {
  let database: Database;
  let merchantId: string;
  let actor: Actor;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "mw", name: "MW", demoProgram: true })).id;
    actor = { kind: "user", userId: "u-op", merchantId, role: "operator", email: "op@mw.test", name: "Op" };
    const reg = (id: string, day: string, name: string, phone: string) => ({ id: `r-${id}`, type: "member.registered", occurredAt: `2026-03-${day}T09:00:00+08:00`, memberId: id, data: { name, phone } });
    const order = (id: string, member: string, fen: number) => ({ id: `o-${id}`, type: "order.paid", occurredAt: "2026-03-05T12:00:00+08:00", memberId: member, data: { orderId: id, amount: fen } });
    const res = await ingestEvents(database.db, merchantId, [
      reg("M1", "01", "张三", "13800000001"),
      reg("M2", "02", "李四", "13900000002"),
      reg("M3", "03", "王五", "13800000003"),
      // M1 ¥760 (growth 760, basic), M2 ¥1,200 (silver), M3 nothing.
      order("O1", "M1", 76000),
      order("O2", "M2", 120000),
    ]);
    expect(res.every((r) => r.status === "applied")).toBe(true);
  });
  afterAll(() => database.close());

  it("lists by spend, filters by tier and phone prefix, and pages by keyset", async () => {
    const db = database.db;
    const bySpend = await listMembers(db, merchantId, q({ sort: "lifetimeSpend", dir: "desc" }), TZ);
    expect(bySpend.rows.map((r) => [r.memberId, r.lifetimeSpend])).toEqual([["M2", 120000], ["M1", 76000], ["M3", 0]]);
    expect((await listMembers(db, merchantId, q({ tier: "silver" }), TZ)).rows.map((r) => r.memberId)).toEqual(["M2"]);
    expect((await listMembers(db, merchantId, q({ q: "1380000" }), TZ)).rows.map((r) => r.memberId).sort()).toEqual(["M1", "M3"]);
    expect((await listMembers(db, merchantId, q({ q: "李" }), TZ)).rows.map((r) => r.memberId)).toEqual(["M2"]);
    expect((await listMembers(db, merchantId, q({ spendMin: "700", spendMax: "800" }), TZ)).rows.map((r) => r.memberId)).toEqual(["M1"]);
    expect((await listMembers(db, merchantId, q({ regFrom: "2026-03-02", regTo: "2026-03-02" }), TZ)).rows.map((r) => r.memberId)).toEqual(["M2"]);
    // Two per page, oldest registration first: M1, M2 | M3.
    const p1 = await listMembers(db, merchantId, q({ sort: "registeredAt", dir: "asc", limit: "2" }), TZ);
    expect(p1.rows.map((r) => r.memberId)).toEqual(["M1", "M2"]);
    const p2 = await listMembers(db, merchantId, q({ sort: "registeredAt", dir: "asc", limit: "2", cursor: p1.nextCursor! }), TZ);
    expect(p2.rows.map((r) => r.memberId)).toEqual(["M3"]);
    expect(p2.nextCursor).toBeNull();
    // Members without orders sort as the oldest last order.
    const byLast = await listMembers(db, merchantId, q({ sort: "lastOrderAt", dir: "asc", limit: "1" }), TZ);
    expect(byLast.rows[0].memberId).toBe("M3");
    const masked = await listMembers(db, merchantId, q({ q: "M2" }), { ...TZ, fullPhone: false });
    expect(masked.rows[0].phone).toBe("139****0002");
  });

  it("exports the filtered list as CSV, phones masked for analysts", async () => {
    const stream = exportMembers(database.db, merchantId, q({ sort: "memberId", dir: "asc" }), { fullPhone: false, locale: "en" });
    const text = await new Response(stream).text();
    const { headers, rows } = parseCsv(text.replace(/^\uFEFF/, ""));
    expect(headers.slice(0, 4)).toEqual(["Member ID", "Name", "Phone", "Tier"]);
    expect(rows.map((r) => [r["Member ID"], r.Phone, r.Tier, r["Lifetime spend (¥)"]])).toEqual([
      ["M1", "138****0001", "Basic", "760.00"],
      ["M2", "139****0002", "Silver", "1200.00"],
      ["M3", "138****0003", "Basic", "0.00"],
    ]);
  });

  it("shows the member's story and the distance to the next tier", async () => {
    const d = await memberDetail(database.db, merchantId, "M1", { fullPhone: false });
    expect(d.member.phone).toBe("138****0001");
    expect(d.member.tier.code).toBe("basic");
    // Silver needs growth 1,000 (lifetime); M1 has 760 → 240 to go.
    expect(d.progress?.tier.code).toBe("silver");
    expect(d.progress?.thresholds).toEqual([{ measure: "growth", window: "lifetime", value: 1000, current: 760, remaining: 240 }]);
    // 100 welcome points + 760 order points, in two lots.
    expect(d.member.pointsBalance).toBe(860);
    expect(d.lots.map((l) => l.remaining).sort((a, b) => a - b)).toEqual([100, 760]);
    expect(d.orders.map((o) => o.orderId)).toEqual(["O1"]);
    expect(d.firings.map((f) => f.code).length).toBeGreaterThan(0);
  });

  it("adjusts points, grants a right and sets a tier by hand, each with one audit row", async () => {
    const db = database.db;
    await adjustMember(db, merchantId, "M3", { measure: "points", delta: 50, reason: "goodwill after a late delivery" }, actor);
    const right = await grantRight(db, merchantId, { memberId: "M3", rightCode: "free_shipping", reason: "complaint handled" }, actor);
    await setTierManually(db, merchantId, { memberId: "M3", tierCode: "gold", reason: "VIP from the old card system" }, actor);
    const d = await memberDetail(db, merchantId, "M3", { fullPhone: true });
    expect(d.member.pointsBalance).toBe(150);
    expect(d.points[0]).toMatchObject({ delta: 50, kind: "adjust" });
    expect(d.rights.find((r) => r.grantId === right.grantId)?.state).toBe("held");
    expect(d.member.tier.code).toBe("gold");
    expect(d.member.manualTier).toBe("gold");
    expect(d.tierHistory[0]).toMatchObject({ direction: "manual", to: { zh: "金卡会员" } });
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.entityId, "M3")));
    expect(audit.map((a) => a.action).sort()).toEqual(["member.adjust_points", "member.grant_right", "member.set_tier"]);
    const hist = await db.select().from(tierHistory).where(and(eq(tierHistory.merchantId, merchantId), eq(tierHistory.memberId, "M3"), eq(tierHistory.direction, "manual")));
    expect(hist).toHaveLength(1);
  });

  it("imports a GBK orders file: bad rows reported by line, a second import changes nothing", async () => {
    const db = database.db;
    // Two lanes of batches on PostgreSQL, as the server runs there; one on PGlite.
    const lanes = name === "postgres" ? 2 : 1;
    const lines = ["订单号,会员编号,实付金额,支付时间", "I1,M3,100.00,2026-03-06 10:00", "I2,M3,abc,2026-03-06 11:00", "I3,M3,50,2026-03-07 10:00", "I4,NOBODY,20,2026-03-07 10:00", "I5,,30,2026/3/7 12:00"];
    const bytes = encodeGbk(lines.join("\r\n") + "\r\n");
    const mapping = { orderId: "订单号", memberId: "会员编号", amount: "实付金额", paidAt: "支付时间" };
    const first = await createImportJob(db, merchantId, { kind: "orders", fileName: "orders.csv", file: await saveUpload(bytes), mapping, lanes }, actor);
    expect(first.job.encoding).toBe("gbk");
    await first.run();
    const job = await getImportJobOrThrow(db, merchantId, first.job.id);
    expect(job).toMatchObject({ status: "done", total: 5, processed: 5, applied: 3, duplicates: 0, rejected: 2 });
    const report = parseCsv(job.report!);
    expect(report.headers).toEqual(["row", "reason", "订单号", "会员编号", "实付金额", "支付时间"]);
    // Line 3 of the file (I2) fails validation; line 5 (I4) the engine refuses: no such member.
    expect(report.rows.map((r) => [r.row, r["订单号"]])).toEqual([["3", "I2"], ["5", "I4"]]);
    expect(report.rows[0].reason).toBe('amount "abc" is not an amount in yuan (e.g. 258.00)');
    const [m3] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, "M3")));
    expect(m3.lifetimeSpend).toBe(15000);

    const again = await createImportJob(db, merchantId, { kind: "orders", fileName: "orders.csv", file: await saveUpload(bytes), mapping, lanes }, actor);
    await again.run();
    expect(await getImportJobOrThrow(db, merchantId, again.job.id)).toMatchObject({ status: "done", applied: 0, duplicates: 3, rejected: 2 });
    const [after] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, "M3")));
    expect(after.lifetimeSpend).toBe(15000);
  });

  it("imports a UTF-8 (BOM) members file once: a second import is all duplicates", async () => {
    const db = database.db;
    const text = "\uFEFFmember_id,name,phone,birthday,registered_at\nN1,赵六,13600000001,1991/2/3,2026-01-05 10:00\nN2,,not-a-phone,,2026-01-06\nN3,钱七,,,2026-01-07\n";
    const bytes = new TextEncoder().encode(text);
    const mapping = { memberId: "member_id", name: "name", phone: "phone", birthday: "birthday", registeredAt: "registered_at" };
    const first = await createImportJob(db, merchantId, { kind: "members", fileName: "members.csv", file: await saveUpload(bytes), mapping }, actor);
    expect(first.job.encoding).toBe("utf-8");
    await first.run();
    expect(await getImportJobOrThrow(db, merchantId, first.job.id)).toMatchObject({ status: "done", total: 3, applied: 2, rejected: 1 });
    const [n1] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, "N1")));
    expect(n1).toMatchObject({ name: "赵六", phone: "13600000001", birthday: "1991-02-03", tierCode: "basic" });
    // Registered 2026-01-05 10:00 in Shanghai = 02:00 UTC.
    expect(n1.registeredAt.toISOString()).toBe("2026-01-05T02:00:00.000Z");
    const again = await createImportJob(db, merchantId, { kind: "members", fileName: "members.csv", file: await saveUpload(bytes), mapping }, actor);
    await again.run();
    expect(await getImportJobOrThrow(db, merchantId, again.job.id)).toMatchObject({ applied: 0, duplicates: 2, rejected: 1 });
  });
});

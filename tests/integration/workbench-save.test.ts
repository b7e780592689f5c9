import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, members, orders } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { demoProgram } from "@/lib/program/demo-program";
import { currentProgram, saveProgram, toExport } from "@/lib/program/store";
import { saveProgramFromEditor } from "@/lib/workbench/save";
import { testDatabases } from "../db";

// toExport shares the loaded (cached) version: tests clone before they change it.
describe.each(testDatabases)("saving from the workbench on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  let actor: Actor;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "wb-save", name: "Workbench" })).id;
    actor = { kind: "user", userId: "u1", merchantId, role: "operator", email: "operator@test.local", name: "Op" };
    // Version 1 (in force from the beginning): the demo program without campaigns, so no date is special.
    await saveProgram(database.db, merchantId, { ...demoProgram, campaigns: [] });
  });
  afterAll(() => database.close());

  it("applies a saved rule change to an event after it and not to one before it", async () => {
    const db = database.db;
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    await ingestEvents(db, merchantId, [{ id: "r1", type: "member.registered", occurredAt: iso(now - 3 * 3600_000), memberId: "M1", data: {} }]);

    const program = structuredClone(toExport(await currentProgram(db, merchantId)));
    program.points.perYuan = 3;
    const { version } = await saveProgramFromEditor(db, merchantId, { program, tierMoves: [] }, actor);
    expect(version).toBe(2);

    // Both arrive after the save; one happened before it (an hour ago), one after (in a minute).
    const res = await ingestEvents(db, merchantId, [
      { id: "o-before", type: "order.paid", occurredAt: iso(now - 3600_000), memberId: "M1", data: { orderId: "B1", amount: 25800 } },
      { id: "o-after", type: "order.paid", occurredAt: iso(now + 60_000), memberId: "M1", data: { orderId: "A1", amount: 25800 } },
    ]);
    expect(res.map((r) => r.status)).toEqual(["applied", "applied"]);
    const rows = await db.select().from(orders).where(eq(orders.merchantId, merchantId));
    const earned = Object.fromEntries(rows.map((r) => [r.orderId, r.pointsEarned]));
    // ¥258 as a basic member (×1.0): 258 points at 1 per yuan before the change, 774 at 3 after.
    expect(earned).toEqual({ B1: 258, A1: 774 });

    const audits = await db.select().from(auditLog).where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.action, "program.update")));
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].before ?? "{}").points.perYuan).toBe(1);
    expect(JSON.parse(audits[0].after ?? "{}").points.perYuan).toBe(3);
    expect(audits[0].actorLabel).toBe("operator@test.local");
  });

  it("refuses to remove a tier with members unless told where they go, then moves them", async () => {
    const db = database.db;
    await ingestEvents(db, merchantId, [{ id: "r2", type: "member.registered", occurredAt: new Date().toISOString(), memberId: "M2", data: {} }]);
    const program = structuredClone(toExport(await currentProgram(db, merchantId)));
    // Remove "basic" (M1 and M2 are basic); silver becomes the entry tier.
    const without = { ...program, tiers: program.tiers.slice(1).map((t, i) => (i === 0 ? { ...t, thresholds: [] } : t)), matrix: program.matrix.filter((c) => c.tierCode !== "basic") };
    await expect(saveProgramFromEditor(db, merchantId, { program: without, tierMoves: [] }, actor)).rejects.toMatchObject({ code: "validation_failed" });
    expect((await currentProgram(db, merchantId)).version).toBe(2);

    await saveProgramFromEditor(db, merchantId, { program: without, tierMoves: [{ from: "basic", to: "silver" }] }, actor);
    const rows = await db.select({ id: members.memberId, tier: members.tierCode }).from(members).where(eq(members.merchantId, merchantId)).orderBy(members.memberId);
    expect(rows).toEqual([
      { id: "M1", tier: "silver" },
      { id: "M2", tier: "silver" },
    ]);
    expect((await currentProgram(db, merchantId)).version).toBe(3);
  });

  it("refuses a save based on a version that is no longer in force, and changes nothing", async () => {
    const db = database.db;
    const current = await currentProgram(db, merchantId);
    const program = structuredClone(toExport(current));
    program.points.checkIn = 99;
    await expect(saveProgramFromEditor(db, merchantId, { program, tierMoves: [], baseVersion: current.version - 1 }, actor)).rejects.toMatchObject({
      code: "conflict",
      issues: [{ path: "baseVersion" }],
    });
    expect((await currentProgram(db, merchantId)).version).toBe(current.version);
    const { version } = await saveProgramFromEditor(db, merchantId, { program, tierMoves: [], baseVersion: current.version }, actor);
    expect(version).toBe(current.version + 1);
    expect((await currentProgram(db, merchantId)).points.checkIn).toBe(99);
  });

  it("makes no version and no audit row when the saved program is the one in force (same values, keys in another order)", async () => {
    const db = database.db;
    const current = await currentProgram(db, merchantId);
    const audits = async () => (await db.select().from(auditLog).where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.action, "program.update")))).length;
    const auditsBefore = await audits();
    const same = structuredClone(toExport(current));
    // Every object's keys in reverse order (jsonb and an exported file may order them differently).
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const r = await saveProgramFromEditor(db, merchantId, { program: reverseKeys(same) as typeof same, tierMoves: [], baseVersion: current.version }, actor);
    expect(r).toEqual({ version: current.version, unchanged: true });
    expect((await currentProgram(db, merchantId)).version).toBe(current.version);
    expect(await audits()).toBe(auditsBefore);
    // One real change still makes one version and one row.
    same.points.review = same.points.review + 1;
    expect(await saveProgramFromEditor(db, merchantId, { program: same, tierMoves: [], baseVersion: current.version }, actor)).toEqual({ version: current.version + 1, unchanged: false });
    expect(await audits()).toBe(auditsBefore + 1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createMerchant } from "@/lib/tenancy/merchants";
import { demoProgram } from "@/lib/program/demo-program";
import { currentProgram, saveProgram, toExport } from "@/lib/program/store";
import { replaceProgram } from "@/lib/program/update-program";
import { applyQuickChange } from "@/lib/workbench/quick";
import { testDatabases } from "../db";

describe.each(testDatabases)("quick changes from the workbench on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  let actor: Actor;
  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "wb-quick", name: "Quick" })).id;
    actor = { kind: "user", userId: "u1", merchantId, role: "operator", email: "operator@test.local", name: "Op" };
    await saveProgram(database.db, merchantId, demoProgram);
  });
  afterAll(() => database.close());

  const audits = async () => database.db.select().from(auditLog).where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.action, "program.update")));

  it("switches an automation off as a new version with one audit row, and changes nothing else", async () => {
    const db = database.db;
    const before = structuredClone(toExport(await currentProgram(db, merchantId)));
    expect(before.automations.find((a) => a.code === "winback")?.enabled).toBe(true);
    expect(await applyQuickChange(db, merchantId, { baseVersion: 1, change: { kind: "automationEnabled", code: "winback", enabled: false } }, actor)).toEqual({ version: 2, unchanged: false });
    const after = toExport(await currentProgram(db, merchantId));
    expect(after.automations.find((a) => a.code === "winback")?.enabled).toBe(false);
    expect({ ...after, automations: after.automations.map((a) => ({ ...a, enabled: true })) }).toEqual(before);
    const rows = await audits();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].after ?? "{}").automations.find((a: { code: string }) => a.code === "winback").enabled).toBe(false);
  });

  it("refuses a change made on a stale version with conflict, and nothing changes", async () => {
    const db = database.db;
    // Someone else saved version 3 meanwhile (the points rule).
    const other = structuredClone(toExport(await currentProgram(db, merchantId)));
    other.points.perYuan = 2;
    await replaceProgram(db, merchantId, other, actor);
    await expect(
      applyQuickChange(db, merchantId, { baseVersion: 2, change: { kind: "campaignEnabled", code: "member_day", enabled: false } }, actor),
    ).rejects.toMatchObject({ code: "conflict", issues: [{ path: "baseVersion" }] });
    const p = await currentProgram(db, merchantId);
    expect(p.version).toBe(3);
    expect(p.campaigns.find((c) => c.code === "member_day")?.enabled).toBe(true);
    expect(await audits()).toHaveLength(2);
  });

  it("edits, adds and empties matrix cells; a bad cell is refused with its field and nothing changes", async () => {
    const db = database.db;
    const cell = async (tier: string, right: string) => (await currentProgram(db, merchantId)).matrix.find((c) => c.tierCode === tier && c.rightCode === right);
    // Demo: silver 9折券 × 1.
    await applyQuickChange(db, merchantId, { baseVersion: 3, change: { kind: "matrixCell", tierCode: "silver", rightCode: "coupon_90", value: "9折", quantity: 3 } }, actor);
    expect(await cell("silver", "coupon_90")).toEqual({ tierCode: "silver", rightCode: "coupon_90", value: "9折", quantity: 3, unitCost: null });
    await applyQuickChange(db, merchantId, { baseVersion: 4, change: { kind: "matrixCell", tierCode: "basic", rightCode: "tasting", value: null, quantity: 1 } }, actor);
    expect(await cell("basic", "tasting")).toEqual({ tierCode: "basic", rightCode: "tasting", value: null, quantity: 1, unitCost: null });
    await applyQuickChange(db, merchantId, { baseVersion: 5, change: { kind: "matrixCell", tierCode: "basic", rightCode: "tasting", value: "", quantity: 0 } }, actor);
    expect(await cell("basic", "tasting")).toBeUndefined();
    // The birthday coupon's per-tier unit cost (¥50 for silver) is kept when its quantity changes.
    await applyQuickChange(db, merchantId, { baseVersion: 6, change: { kind: "matrixCell", tierCode: "silver", rightCode: "birthday_coupon", value: "¥50", quantity: 2 } }, actor);
    expect((await cell("silver", "birthday_coupon"))?.unitCost).toBe(5000);

    const issues = async (change: Parameters<typeof applyQuickChange>[2]["change"]) => {
      const err = await applyQuickChange(db, merchantId, { baseVersion: 7, change }, actor).then(() => null, (e: unknown) => e);
      return err as { code: string; issues: { path: string }[] } | null;
    };
    const tooMany = await issues({ kind: "matrixCell", tierCode: "gold", rightCode: "tasting", value: null, quantity: 101 });
    expect(tooMany?.code).toBe("validation_failed");
    expect(tooMany?.issues.map((i) => i.path)).toEqual([expect.stringMatching(/^matrix\.\d+\.quantity$/)]);
    const longValue = await issues({ kind: "matrixCell", tierCode: "gold", rightCode: "tasting", value: "x".repeat(41), quantity: 1 });
    expect(longValue?.issues.map((i) => i.path)).toEqual([expect.stringMatching(/^matrix\.\d+\.value$/)]);
    const unknownTier = await issues({ kind: "matrixCell", tierCode: "platinum", rightCode: "tasting", value: null, quantity: 1 });
    expect(unknownTier?.issues.map((i) => i.path)).toEqual([expect.stringMatching(/^matrix\.\d+\.tierCode$/)]);
    expect((await issues({ kind: "automationEnabled", code: "nope", enabled: true }))?.code).toBe("not_found");
    expect((await currentProgram(db, merchantId)).version).toBe(7);
    expect((await cell("gold", "tasting"))?.quantity).toBe(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { automationFirings } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { demoProgram } from "@/lib/program/demo-program";
import { saveProgram } from "@/lib/program/store";
import type { ProgramInput } from "@/lib/schemas/program";
import { testDatabases } from "../db";

// One automation: 50 points on the birthday itself (birthdayInDays 0).
const program: ProgramInput = {
  ...demoProgram,
  campaigns: [],
  automations: [{ code: "bday", name: { zh: "生日礼", en: "Birthday" }, trigger: { kind: "birthdayInDays", days: 0 }, actions: [{ kind: "bonusPoints", points: 50 }] }],
};

describe.each(testDatabases)("a Feb 29 birthday on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  async function firings(m: string) {
    const rows = await db.select().from(automationFirings).where(and(eq(automationFirings.merchantId, m), eq(automationFirings.automationCode, "bday")));
    return rows.map((r) => [r.memberId, r.firedDate]).sort();
  }

  it("fires on Feb 28 in a year without Feb 29, and on Feb 29 in a leap year", async () => {
    const m = (await createMerchant(db, { slug: "leap", name: "L" })).id;
    await saveProgram(db, m, program);
    await ingestEvents(db, m, [
      { id: "r1", type: "member.registered", occurredAt: "2026-01-02T09:00:00+08:00", memberId: "LEAP", data: { birthday: "2000-02-29" } },
      { id: "r2", type: "member.registered", occurredAt: "2026-01-02T09:00:00+08:00", memberId: "FEB28", data: { birthday: "1990-02-28" } },
      { id: "r3", type: "member.registered", occurredAt: "2026-01-02T09:00:00+08:00", memberId: "MAR1", data: { birthday: "1990-03-01" } },
    ]);
    // 2027 has no Feb 29: both Feb birthdays on the 28th, March 1st on its own day.
    await runPeriodJob(db, m, "2027-03-01", { from: "2027-02-27", analyze: false });
    expect(await firings(m)).toEqual([
      ["FEB28", "2027-02-28"],
      ["LEAP", "2027-02-28"],
      ["MAR1", "2027-03-01"],
    ]);
    // 2028 is a leap year: the leap-day member on the 29th, not on the 28th.
    await runPeriodJob(db, m, "2028-03-01", { from: "2028-02-27", analyze: false });
    expect((await firings(m)).filter(([, d]) => d.startsWith("2028"))).toEqual([
      ["FEB28", "2028-02-28"],
      ["LEAP", "2028-02-29"],
      ["MAR1", "2028-03-01"],
    ]);
  });
});

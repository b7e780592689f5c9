import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { events, members, pointsLedger } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import { ingestEvents } from "@/lib/engine/ingest";
import { ingestGrouped } from "@/lib/engine/group-commit";
import { testDatabases } from "../db";

// One bad event never hurts another: what the database would refuse is rejected by validation, and
// a group transaction that still fails is retried request by request.
let n = 0;
const reg = (id: string, extra: Record<string, unknown> = {}) => ({ id: `reg-${id}`, type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: id, data: {}, ...extra });
const paid = (id: string, member: string, amount: number) => ({ id, type: "order.paid", occurredAt: "2026-03-05T10:00:00+08:00", memberId: member, data: { orderId: id, amount } });
const deep = (levels: number) => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};

describe.each(testDatabases)("engine hardening on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  const merchant = async () => (await createMerchant(db, { slug: `hard-${++n}`, name: "H", demoProgram: true })).id;
  const count = async (m: string) => db.$count(members, eq(members.merchantId, m));
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("a batch with NUL, lone-surrogate, year-0001 and 5,000-deep events applies the rest", async () => {
    const m = await merchant();
    const r = await ingestEvents(
      db,
      m,
      [
        reg("A"),
        reg("B", { data: { name: "李\u0000四" } }),
        reg("C", { memberId: "C\ud800" }),
        reg("D", { occurredAt: "0001-01-01T00:00:00Z" }),
        reg("E", { occurredAt: "9999-01-01T00:00:00Z" }),
        { id: "rv", type: "review.posted", occurredAt: "2026-03-02T09:00:00+08:00", memberId: "A", data: { text: "好\u0000" } },
        { id: "deep", type: "review.posted", occurredAt: "2026-03-02T09:00:00+08:00", memberId: "A", data: { a: deep(5000) } },
        reg("F"),
      ],
      ["events"],
    );
    expect(r.map((x) => [x.status, x.error?.code, x.error?.issues?.[0]?.path.replace(/(\.0)+$/, "")])).toEqual([
      ["applied", undefined, undefined],
      ["rejected", "validation_failed", "events.1.data.name"],
      ["rejected", "validation_failed", "events.2.memberId"],
      ["rejected", "validation_failed", "events.3.occurredAt"],
      ["rejected", "validation_failed", "events.4.occurredAt"],
      ["rejected", "validation_failed", "events.5.data.text"],
      ["rejected", "validation_failed", "events.6.data.a"],
      ["applied", undefined, undefined],
    ]);
    expect(await count(m)).toBe(2);
  });

  it("180 concurrent single events, 3 of them poisoned by text: 177 applied", async () => {
    const m = await merchant();
    const sent = Array.from({ length: 180 }, (_, i) => (i % 60 === 7 ? reg(`P${i}`, { data: { name: "x\u0000" } }) : reg(`P${i}`)));
    const r = (await Promise.all(sent.map((e) => ingestGrouped(db, m, [e])))).map(([x]) => x.status);
    expect(r.filter((s) => s === "applied")).toHaveLength(177);
    expect(r.filter((s) => s === "rejected")).toHaveLength(3);
    expect(await count(m)).toBe(177);
  });

  it("a group whose transaction fails anyway is retried request by request: the neighbours are applied", async () => {
    const m = await merchant();
    // A failure validation cannot see: the database refuses one event id (a trigger made for this test).
    await db.execute(sql.raw(`create or replace function poison_event() returns trigger language plpgsql as $$
      begin if new.event_id = 'reg-POISON' then raise exception 'poisoned event'; end if; return new; end $$`));
    await db.execute(sql.raw(`create trigger poison_event before insert on events for each row execute function poison_event()`));
    try {
      // Sent in one turn: they wait together and go in as one group.
      const ids = ["G1", "G2", "G3", "POISON", "G4", "G5", "G6", "G7", "G8", "G9"];
      const outcomes = await Promise.all(ids.map((id) => ingestGrouped(db, m, [reg(id)]).then(([x]) => x.status, () => "failed")));
      expect(outcomes).toEqual(["applied", "applied", "applied", "failed", "applied", "applied", "applied", "applied", "applied", "applied"]);
      expect(await count(m)).toBe(9);
      expect(await db.$count(events, and(eq(events.merchantId, m), eq(events.eventId, "reg-POISON")))).toBe(0);
    } finally {
      await db.execute(sql.raw(`drop trigger poison_event on events`));
    }
  });

  it("a batch whose transaction fails anyway is applied again in halves: only the event at fault is rejected", async () => {
    const m = await merchant();
    await db.execute(sql.raw(`create or replace function poison_event() returns trigger language plpgsql as $$
      begin if new.event_id = 'reg-B137' then raise exception 'poisoned event'; end if; return new; end $$`));
    await db.execute(sql.raw(`create trigger poison_event before insert on events for each row execute function poison_event()`));
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // 300 events in one request (a big batch goes alone, not in a group), one of them refused by the database.
      const batch = Array.from({ length: 300 }, (_, i) => reg(`B${i}`));
      const r = await ingestEvents(db, m, batch, ["events"]);
      expect(r.filter((x) => x.status === "applied")).toHaveLength(299);
      expect(r[137]).toMatchObject({ id: "reg-B137", status: "rejected", error: { code: "internal" } });
      expect(await count(m)).toBe(299);
    } finally {
      quiet.mockRestore();
      await db.execute(sql.raw(`drop trigger poison_event on events`));
    }
  });

  it("amounts: over ¥10,000,000 rejected; a program that would earn more than 100,000,000 points per event rejects that order", async () => {
    const m = await merchant();
    const r = await ingestEvents(db, m, [reg("X"), paid("o-max", "X", 1_000_000_000), paid("o-huge", "X", 2 ** 53 - 1)], ["events"]);
    expect(r.map((x) => [x.status, x.error?.issues?.[0]?.path])).toEqual([
      ["applied", undefined],
      ["applied", undefined],
      ["rejected", "events.2.data.amount"],
    ]);
    // ¥10,000,000 at 1 point per yuan, entry tier ×1, no campaign that day: 10,000,000 points; the balance is the ledger's sum.
    const [x] = await db.select().from(members).where(and(eq(members.merchantId, m), eq(members.memberId, "X")));
    const rows = await db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.memberId, "X")));
    expect(rows.find((l) => l.source === "ev:o-max:order")?.delta).toBe(10_000_000);
    expect([x.lifetimeSpend, x.pointsBalance]).toEqual([1_000_000_000, rows.reduce((s, l) => s + l.delta, 0)]);

    // 1,000 points per yuan: ¥100,000 earns 100,000,000 points (the cap), ¥100,000.01 would earn more.
    const rich = (await createMerchant(db, { slug: `hard-${++n}`, name: "R" })).id;
    await saveProgram(db, rich, { ...demoProgram, points: { ...demoProgram.points, perYuan: 1000 } });
    const r2 = await ingestEvents(db, rich, [reg("Y"), paid("y-cap", "Y", 10_000_000), paid("y-over", "Y", 10_000_001)], ["events"]);
    expect(r2.map((x) => [x.status, x.error?.issues?.[0]?.path])).toEqual([
      ["applied", undefined],
      ["applied", undefined],
      ["rejected", "data.amount"],
    ]);
  });
});

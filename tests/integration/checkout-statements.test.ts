import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { PglitePreparedQuery } from "drizzle-orm/pglite/session";
import { openDatabase, type Database } from "@/db/client";
import { rightInstances } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { checkoutQuote, confirmHold, createHold } from "@/lib/checkout/holds";
import { holdInput } from "@/lib/schemas/checkout";
import { testDatabases } from "../db";
import { pointsTotals } from "../checks";

const now = new Date("2026-12-01T04:00:00Z");

/** M1 of the demo program: 100 welcome points (lot 1), 1,000 points of a ¥1,000 order (lot 2), and the ¥10 no-threshold coupon. */
async function setUp(database: Database, slug: string) {
  const merchantId = (await createMerchant(database.db, { slug, name: "Checkout statements", demoProgram: true })).id;
  const res = await ingestEvents(database.db, merchantId, [
    { id: "r1", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "M1", data: {} },
    { id: "o1", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "M1", data: { orderId: "O1", amount: 100000 } },
    { id: "r3", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "M3", data: {} },
  ]);
  expect(res.map((r) => r.status)).toEqual(["applied", "applied", "applied"]);
  const [{ grantId }] = await database.db
    .select({ grantId: rightInstances.grantId })
    .from(rightInstances)
    .where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, "M1"), eq(rightInstances.rightCode, "coupon_10")));
  return { merchantId, grantId };
}

describe.each(testDatabases)("checkout answers on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  let coupon: string;
  beforeAll(async () => {
    database = await open();
    ({ merchantId, grantId: coupon } = await setUp(database, "cs"));
  });
  afterAll(() => database.close());

  it("a hold answers what it stored: the same again on a replay, and as confirmed on its confirmation and the confirmation's replay", async () => {
    const input = holdInput.parse({ id: "H1", orderId: "S1", amount: 25_800, points: 1_000, grantIds: [coupon], ttlSeconds: 600 });
    // ¥258 less 1,000 points (1 fen each) and the ¥10 coupon: 25,800 − 1,000 − 1,000 = 23,800 fen.
    const expected = {
      id: "H1",
      memberId: "M1",
      status: "held",
      orderId: "S1",
      amount: 25_800,
      points: 1_000,
      pointsValue: 1_000,
      grants: [{ grantId: coupon, discount: 1_000 }],
      wallet: 0,
      payable: 23_800,
      expiresAt: "2026-12-01T04:10:00.000Z",
    };
    const made = await createHold(database.db, merchantId, "M1", input, now);
    expect(made).toEqual({ hold: expected, created: true });
    expect(await createHold(database.db, merchantId, "M1", input, new Date(now.getTime() + 1_000))).toEqual({ hold: expected, created: false });
    // While held: 1,100 − 1,000 points available, the coupon held.
    const q = await checkoutQuote(database.db, merchantId, "M1", 25_800, now);
    expect(q.points.available).toBe(100);
    expect(q.coupons).toEqual([expect.objectContaining({ grantId: coupon, usable: false, reason: "held" })]);

    const later = new Date(now.getTime() + 60_000);
    expect(await confirmHold(database.db, merchantId, "H1", later)).toEqual({ ...expected, status: "confirmed" });
    expect(await confirmHold(database.db, merchantId, "H1", later)).toEqual({ ...expected, status: "confirmed" });
    // 1,100 − 1,000 = 100 points left, in the lots and the ledger too; the coupon is used (no longer quoted).
    expect(await pointsTotals(database.db, merchantId, "M1")).toEqual({ balance: 100, lots: 100, ledger: 100 });
    expect((await checkoutQuote(database.db, merchantId, "M1", 25_800, later)).coupons).toEqual([]);
  });

  it("coupons: an expired one is quoted as expired for 7 days, then not at all, and no hold takes it; nor another member's", async () => {
    const [c] = await database.db
      .select({ grantId: rightInstances.grantId, expiresAt: rightInstances.expiresAt })
      .from(rightInstances)
      .where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, "M3"), eq(rightInstances.rightCode, "coupon_10")));
    const day = 86_400_000;
    const before = new Date(c.expiresAt!.getTime() - day);
    const after = new Date(c.expiresAt!.getTime() + day);
    expect((await checkoutQuote(database.db, merchantId, "M3", 5_000, before)).coupons).toEqual([expect.objectContaining({ grantId: c.grantId, discount: 1_000, usable: true })]);
    expect((await checkoutQuote(database.db, merchantId, "M3", 5_000, after)).coupons).toEqual([expect.objectContaining({ grantId: c.grantId, discount: 0, usable: false, reason: "expired" })]);
    expect((await checkoutQuote(database.db, merchantId, "M3", 5_000, new Date(c.expiresAt!.getTime() + 8 * day))).coupons).toEqual([]);
    const refusal = async (memberId: string, at: Date) => {
      const e = await createHold(database.db, merchantId, memberId, holdInput.parse({ id: `X-${memberId}-${at.getTime()}`, orderId: "SX", amount: 5_000, grantIds: [c.grantId] }), at).catch((x: unknown) => x);
      return e instanceof AppError ? { code: e.code, issues: e.issues } : e;
    };
    expect(await refusal("M3", after)).toEqual({ code: "right_unavailable", issues: [{ path: "grantIds.0", message: "expired" }] });
    expect(await refusal("M1", before)).toEqual({ code: "right_unavailable", issues: [{ path: "grantIds.0", message: "not a coupon of this member" }] });
    // Before its expiry, its own member holds it: ¥50 less the ¥10 coupon.
    const { hold } = await createHold(database.db, merchantId, "M3", holdInput.parse({ id: "H3", orderId: "S3", amount: 5_000, grantIds: [c.grantId] }), before);
    expect([hold.status, hold.grants, hold.payable]).toEqual(["held", [{ grantId: c.grantId, discount: 1_000 }], 4_000]);
  });
});

/**
 * What a checkout costs the server is mostly its statements: each built, sent and answered. The
 * same statements go to both drivers (on PostgreSQL pipelined: the lock and the read in one round
 * trip with BEGIN, the writes with COMMIT); they are counted where the driver can be watched, PGlite.
 */
describe("checkout statements (PGlite)", () => {
  let database: Database;
  let merchantId: string;
  let coupon: string;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: "memory://" });
    ({ merchantId, grantId: coupon } = await setUp(database, "cs-count"));
  });
  afterAll(() => database.close());
  afterEach(() => vi.restoreAllMocks());

  const counted = async <T,>(f: () => Promise<T>) => {
    const spy = vi.spyOn(PglitePreparedQuery.prototype, "execute");
    await f();
    const n = spy.mock.calls.length;
    spy.mockRestore();
    return n;
  };

  it("a quote is one statement; a hold and its confirmation three each (lock, read, write); their replays two (lock, read)", async () => {
    // Loads the program into this process's cache first, as any earlier request would have.
    await checkoutQuote(database.db, merchantId, "M1", 25_800, now);
    expect(await counted(() => checkoutQuote(database.db, merchantId, "M1", 25_800, now))).toBe(1);
    const input = holdInput.parse({ id: "H1", orderId: "S1", amount: 25_800, points: 1_000, grantIds: [coupon] });
    expect(await counted(() => createHold(database.db, merchantId, "M1", input, now))).toBe(3);
    expect(await counted(() => createHold(database.db, merchantId, "M1", input, now))).toBe(2);
    expect(await counted(() => confirmHold(database.db, merchantId, "H1", now))).toBe(3);
    expect(await counted(() => confirmHold(database.db, merchantId, "H1", now))).toBe(2);
  });
});

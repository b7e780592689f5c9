import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import bcrypt from "bcryptjs";
import { count, eq } from "drizzle-orm";
import { openDatabase, type Database, type Db } from "@/db/client";
import { apiKeys, merchants, signInThrottle, users } from "@/db/schema";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { actorFromSession } from "@/lib/auth/guard";
import { endSession } from "@/lib/auth/sessions";
import { createMerchant } from "@/lib/tenancy/merchants";
import { changePassword, createUser } from "@/lib/tenancy/users";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { demoLoginsExist, seedDemoIfEmpty } from "@/lib/bootstrap";
import { newId } from "@/lib/util/ids";
import { testDatabases } from "../db";

const PASSWORD = "plum-orchard-lantern-47";
const T0 = new Date("2026-12-01T08:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const S = 1000;

describe.each(testDatabases)("sign-in, passwords, sessions and keys on $name", ({ open }) => {
  let database: Database & { url?: string };
  let db: Db;
  let A: string, B: string;
  let seq = 0;
  /** A fresh user of merchant A, so no test sees another's throttle counts. */
  async function newUser(password = PASSWORD) {
    const email = `u${++seq}@a.test`;
    const { id } = await createUser(db, A, { email, name: `user ${seq}`, role: "operator", password });
    return { id, email };
  }

  beforeAll(async () => {
    database = await open();
    db = database.db;
    A = (await createMerchant(db, { slug: "sec-a", name: "A" })).id;
    B = (await createMerchant(db, { slug: "sec-b", name: "B" })).id;
  });
  afterAll(() => database.close());

  describe("6. throttling", () => {
    it("rotating client addresses (as a forged X-Forwarded-For did) gets 10 tries at an account, not 60, and its owner waits 15 s, not 15 min", async () => {
      const { email } = await newUser();
      const outcomes = [];
      for (let i = 0; i < 60; i++) outcomes.push((await signInWithPassword(db, { email, password: `guess-${i}`, address: `203.0.113.${i}` }, T0)).outcome);
      // The account's own key: 10 free failures, then 15 s after the 10th.
      expect(outcomes.filter((o) => o === "invalid")).toHaveLength(10);
      expect(outcomes.filter((o) => o === "rate_limited")).toHaveLength(50);
      expect((await signInWithPassword(db, { email, password: PASSWORD, address: "198.51.100.2" }, at(15 * S - 1))).outcome).toBe("rate_limited");
      expect((await signInWithPassword(db, { email, password: PASSWORD, address: "198.51.100.2" }, at(15 * S))).outcome).toBe("ok");
    });

    it("one address failing on many accounts is slowed without touching other addresses", async () => {
      const outcomes = [];
      for (let i = 0; i < 60; i++) outcomes.push((await signInWithPassword(db, { email: `nobody${i}@a.test`, password: "x", address: "192.0.2.50" }, T0)).outcome);
      expect(outcomes.filter((o) => o === "invalid")).toHaveLength(50);
      const { email } = await newUser();
      // The same instant: from the busy address no, from any other address yes.
      expect((await signInWithPassword(db, { email, password: PASSWORD, address: "192.0.2.50" }, T0)).outcome).toBe("rate_limited");
      expect((await signInWithPassword(db, { email, password: PASSWORD, address: "192.0.2.51" }, T0)).outcome).toBe("ok");
    });

    it("one client guessing at one account waits 15 s after 5 failures, then 30 s, 60 s: growing delays", async () => {
      const { email } = await newUser();
      const from = { email, address: "192.0.2.9" };
      for (let i = 0; i < 5; i++) expect((await signInWithPassword(db, { ...from, password: `g${i}` }, T0)).outcome).toBe("invalid");
      expect(await signInWithPassword(db, { ...from, password: PASSWORD }, T0)).toEqual({ outcome: "rate_limited", until: at(15 * S) });
      expect((await signInWithPassword(db, { ...from, password: "g5" }, at(15 * S))).outcome).toBe("invalid");
      expect(await signInWithPassword(db, { ...from, password: "g6" }, at(15 * S))).toEqual({ outcome: "rate_limited", until: at(45 * S) });
      expect((await signInWithPassword(db, { ...from, password: "g6" }, at(45 * S))).outcome).toBe("invalid");
      expect(await signInWithPassword(db, { ...from, password: "g7" }, at(45 * S))).toEqual({ outcome: "rate_limited", until: at(105 * S) });
      // The right password once the delay is over; it clears the account's counts.
      expect((await signInWithPassword(db, { ...from, password: PASSWORD }, at(105 * S))).outcome).toBe("ok");
      expect((await signInWithPassword(db, { ...from, password: "g8" }, at(106 * S))).outcome).toBe("invalid");
      expect((await signInWithPassword(db, { ...from, password: PASSWORD }, at(106 * S))).outcome).toBe("ok");
    });

    it("keeps its counts in the database, where another connection (another server process) sees them", async () => {
      const { email } = await newUser();
      for (let i = 0; i < 5; i++) await signInWithPassword(db, { email, password: `g${i}`, address: "192.0.2.77" }, T0);
      const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, `acct:${email}|192.0.2.77`));
      expect([row.failures, row.blockedUntil.toISOString()]).toEqual([5, at(15 * S).toISOString()]);
      if (!database.url) return;
      const other = await openDatabase({ url: database.url });
      try {
        expect((await signInWithPassword(other.db, { email, password: PASSWORD, address: "192.0.2.77" }, at(S))).outcome).toBe("rate_limited");
      } finally {
        await other.close();
      }
    });
  });

  describe("7. user enumeration", () => {
    it("an unknown email costs about what a known one with a wrong password does", async () => {
      const { email } = await newUser();
      const time = async (e: string, address: string) => {
        const t = performance.now();
        await signInWithPassword(db, { email: e, password: "wrong-password", address }, T0);
        return performance.now() - t;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      // Alternated, 3 each (below any delay), so machine load hits both alike; compared by median.
      for (let i = 0; i < 3; i++) {
        known.push(await time(email, `198.51.100.${10 + i}`));
        unknown.push(await time(`ghost${i}-${seq}@a.test`, `198.51.100.${20 + i}`));
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
      // Before: ~13 ms against ~170 ms (bcrypt only on a hit).
      expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
    });

    it("an email in use at another merchant is not named as a user there", async () => {
      const { email } = await newUser();
      await expect(createUser(db, A, { email, name: "again", role: "analyst", password: PASSWORD })).rejects.toMatchObject({
        code: "conflict",
        issues: [{ path: "email", message: "already in use" }],
      });
      const other = createUser(db, B, { email, name: "elsewhere", role: "analyst", password: PASSWORD });
      await expect(other).rejects.toMatchObject({ code: "conflict", message: `${email} cannot be used; choose another address`, issues: [{ path: "email", message: "cannot be used" }] });
    });
  });

  describe("8. passwords", () => {
    it.each([
      ["12345678", "at least 10 characters"],
      ["password", "at least 10 characters"],
      ["        ", "at least 10 characters"],
      ["          ", "not only spaces"],
      ["1234567890", "too easy to guess"],
      ["password123456", "too easy to guess"],
      ["newbie@a.test", "too easy to guess"],
      ["xx-newbie@a.test-xx", "too easy to guess"],
    ])("refuses %j (%s)", async (password, message) => {
      await expect(createUser(db, A, { email: "newbie@a.test", name: "newbie", role: "analyst", password })).rejects.toMatchObject({
        code: "validation_failed",
        issues: expect.arrayContaining([{ path: "password", message }]),
      });
      expect((await db.select({ n: count() }).from(users).where(eq(users.email, "newbie@a.test")))[0].n).toBe(0);
    });

    it("hashes with argon2id; a bcrypt hash from before still signs in and is replaced by argon2id", async () => {
      const { id } = await newUser();
      const [fresh] = await db.select().from(users).where(eq(users.id, id));
      expect(fresh.passwordHash).toMatch(/^\$argon2id\$/);
      const legacyId = newId();
      await db.insert(users).values({ id: legacyId, merchantId: A, email: "legacy@a.test", name: "legacy", role: "analyst", passwordHash: bcrypt.hashSync("old-password", 10) });
      expect((await signInWithPassword(db, { email: "legacy@a.test", password: "wrong-one", address: "192.0.2.1" })).outcome).toBe("invalid");
      const [still] = await db.select().from(users).where(eq(users.id, legacyId));
      expect(still.passwordHash).toMatch(/^\$2[aby]\$/);
      expect((await signInWithPassword(db, { email: "legacy@a.test", password: "old-password", address: "192.0.2.1" })).outcome).toBe("ok");
      const [upgraded] = await db.select().from(users).where(eq(users.id, legacyId));
      expect(upgraded.passwordHash).toMatch(/^\$argon2id\$/);
      expect((await signInWithPassword(db, { email: "legacy@a.test", password: "old-password", address: "192.0.2.1" })).outcome).toBe("ok");
    });
  });

  describe("9. sessions", () => {
    const signIn = async (email: string, password = PASSWORD) => {
      const r = await signInWithPassword(db, { email, password, address: "192.0.2.200" });
      if (r.outcome !== "ok") throw new Error(r.outcome);
      return { uid: r.user.id, sid: r.sessionId };
    };
    const actorOf = (cookie: { uid: string; sid?: string }) => actorFromSession(db, async () => cookie);

    it("sign-out ends the session: the same cookie claims no one afterwards; the user's other sessions go on", async () => {
      const { email } = await newUser();
      const laptop = await signIn(email);
      const phone = await signIn(email);
      expect(await actorOf(laptop)).toMatchObject({ kind: "user", userId: laptop.uid, merchantId: A });
      await endSession(db, laptop.sid);
      expect(await actorOf(laptop)).toBeNull();
      expect(await actorOf(phone)).toMatchObject({ userId: phone.uid });
      // A cookie from before sessions were kept (no session id) is not enough either.
      expect(await actorOf({ uid: laptop.uid })).toBeNull();
    });

    it("a password change ends every session of the user, and the new password is held to the policy", async () => {
      const { id, email } = await newUser();
      const one = await signIn(email);
      const two = await signIn(email);
      await expect(changePassword(db, A, id, "password1234", null)).rejects.toMatchObject({ code: "validation_failed" });
      expect(await actorOf(one)).not.toBeNull();
      await changePassword(db, A, id, "quiet-harbour-violet-88", null);
      expect(await actorOf(one)).toBeNull();
      expect(await actorOf(two)).toBeNull();
      expect((await signInWithPassword(db, { email, password: PASSWORD, address: "192.0.2.201" })).outcome).toBe("invalid");
      expect(await actorOf(await signIn(email, "quiet-harbour-violet-88"))).toMatchObject({ userId: id });
      // Another merchant's owner cannot change it.
      await expect(changePassword(db, B, id, "quiet-harbour-violet-99", null)).rejects.toMatchObject({ code: "not_found" });
    });
  });

  describe("12. API key revocation", () => {
    it("bites at once even through another bundled copy of the key module", async () => {
      const key = await createApiKey(db, A, { name: "soon revoked" });
      // Two copies of the module, as Next bundles it into the route handlers and the server actions.
      vi.resetModules();
      const routeCopy = await import("@/lib/tenancy/api-keys");
      vi.resetModules();
      const actionCopy = await import("@/lib/tenancy/api-keys");
      expect(routeCopy).not.toBe(actionCopy);
      expect(await routeCopy.unsafeResolveApiKey(db, key.key)).toMatchObject({ keyId: key.id, merchantId: A });
      await actionCopy.revokeApiKey(db, A, key.id, null);
      expect(await routeCopy.unsafeResolveApiKey(db, key.key)).toBeNull();
    });

    it("bites on another server (which only sees the database) within KEY_CACHE_MS = 5 s", async () => {
      const { unsafeResolveApiKey, KEY_CACHE_MS } = await import("@/lib/tenancy/api-keys");
      expect(KEY_CACHE_MS).toBe(5000);
      const key = await createApiKey(db, A, { name: "revoked elsewhere" });
      const now = vi.spyOn(Date, "now").mockReturnValue(T0.getTime());
      try {
        expect(await unsafeResolveApiKey(db, key.key)).toMatchObject({ keyId: key.id });
        // Revoked by another server: this one's cache is not told.
        await db.update(apiKeys).set({ revokedAt: T0 }).where(eq(apiKeys.id, key.id));
        now.mockReturnValue(T0.getTime() + 4999);
        expect(await unsafeResolveApiKey(db, key.key)).not.toBeNull();
        now.mockReturnValue(T0.getTime() + 5000);
        expect(await unsafeResolveApiKey(db, key.key)).toBeNull();
      } finally {
        now.mockRestore();
      }
    });
  });
});

describe.each(testDatabases)("13. the first start on $name", ({ name, open }) => {
  it.each([
    ["no DEMO", {}, name === "pglite"],
    ["DEMO=1", { DEMO: "1" }, true],
    ["DEMO=0", { DEMO: "0" }, false],
  ])("with %s makes the demo users: %s", async (_label, env, made) => {
    const database = await open();
    try {
      const db = database.db;
      const kind = name === "pglite" ? "pglite" : "postgres";
      expect(await seedDemoIfEmpty(db, { kind, env })).toBe(made ? "seeded" : "no_demo");
      expect((await db.select({ n: count() }).from(merchants))[0].n).toBe(made ? 1 : 0);
      expect(await demoLoginsExist(db)).toBe(made);
      // Never twice.
      if (made) expect(await seedDemoIfEmpty(db, { kind, env })).toBe("not_empty");
    } finally {
      await database.close();
    }
  });
});

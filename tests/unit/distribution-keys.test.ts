import { describe, expect, it } from "vitest";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import * as schema from "@/db/schema";

/**
 * The condition Citus sets for tables distributed by merchant_id and co-located (docs/scale-out.md):
 * a distributed table's primary key, every unique key and every foreign key include the distribution
 * column. The tables that are not distributed are named here, each with why.
 */
const referenceTables: Record<string, string> = {
  merchants: "the tenants themselves: a reference table (every node has a copy)",
  users: "looked up by email at sign-in, before the merchant is known: a reference table",
  api_keys: "looked up by the key's hash before the merchant is known: a reference table",
  user_sessions: "looked up by session id on every signed-in request: a reference table",
  sign_in_throttle: "keyed by account and client address, across merchants: a reference table",
};

const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => t instanceof PgTable).map((t) => getTableConfig(t));
const names = (cols: { name: string }[]) => cols.map((c) => c.name);

describe("every merchant table can be distributed by merchant_id", () => {
  it("lists every table either as distributed (with merchant_id) or as a reference table with a reason", () => {
    const unplaced = tables.filter((t) => !t.columns.some((c) => c.name === "merchant_id") && !(t.name in referenceTables)).map((t) => t.name);
    expect(unplaced).toEqual([]);
    const stale = Object.keys(referenceTables).filter((n) => !tables.some((t) => t.name === n));
    expect(stale).toEqual([]);
  });

  for (const t of tables.filter((t) => !(t.name in referenceTables))) {
    it(`${t.name}: primary key, unique keys and foreign keys include merchant_id`, () => {
      const keys = [
        ...t.primaryKeys.map((k) => ({ kind: "primary key", cols: names(k.columns) })),
        ...(t.columns.some((c) => c.primary) ? [{ kind: "primary key", cols: names(t.columns.filter((c) => c.primary)) }] : []),
        ...t.uniqueConstraints.map((u) => ({ kind: `unique ${u.name ?? ""}`, cols: names(u.columns) })),
        ...t.indexes.filter((i) => i.config.unique).map((i) => ({ kind: `unique index ${i.config.name}`, cols: i.config.columns.map((c) => ("name" in c ? String(c.name) : "?")) })),
        ...t.foreignKeys.map((f) => ({ kind: "foreign key", cols: names(f.reference().columns) })),
      ];
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((k) => !k.cols.includes("merchant_id"))).toEqual([]);
    });
  }
});

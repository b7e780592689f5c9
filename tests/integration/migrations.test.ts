import { describe, expect, it } from "vitest";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { sql } from "drizzle-orm";
import { migrationsFolder, queryRows } from "@/db/client";
import { testDatabases } from "../db";

describe.each(testDatabases)("migrations on $name", ({ name, open }) => {
  it("apply to an empty database and are idempotent", async () => {
    const database = await open();
    try {
      const tables = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
      expect(tables[0].n).toBeGreaterThanOrEqual(20);
      // Running the migrator again changes nothing and does not fail.
      const migrate = name === "pglite" ? migratePglite : migratePostgres;
      await migrate(database.db as never, { migrationsFolder: migrationsFolder() });
      const again = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
      expect(again[0].n).toBe(tables[0].n);
      const applied = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await database.close();
    }
  });
});

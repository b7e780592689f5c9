import postgres from "postgres";
import { openDatabase, type Database } from "@/db/client";
import { randomToken } from "@/lib/util/ids";

/**
 * The databases integration tests run on: PGlite in memory always, and a fresh PostgreSQL database
 * when TEST_DATABASE_URL is set (created here, dropped after). Use with describe.each(testDatabases).
 */
export const testDatabases: { name: string; open: () => Promise<Database & { url?: string }> }[] = [
  { name: "pglite", open: () => openDatabase({ dataDir: "memory://" }) },
];

const base = process.env.TEST_DATABASE_URL;
if (base) {
  testDatabases.push({
    name: "postgres",
    open: async () => {
      const name = `t_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, "x")}`;
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      await admin.end();
      const url = new URL(base);
      url.pathname = `/${name}`;
      const database = await openDatabase({ url: url.toString() });
      return {
        ...database,
        url: url.toString(),
        close: async () => {
          await database.close();
          const a = postgres(base, { max: 1, onnotice: () => {} });
          await a.unsafe(`drop database if exists ${name} with (force)`);
          await a.end();
        },
      };
    },
  });
}

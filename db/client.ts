import fs from "node:fs";
import path from "node:path";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql, type SQL } from "drizzle-orm";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import * as schema from "./schema";
import { acquireDataDirLock } from "./lock";

export type Schema = typeof schema;
/** Either driver, or a transaction of either: domain code takes this and nothing narrower. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export const migrationsFolder = () => path.join(process.cwd(), "drizzle");

export interface OpenOptions {
  /** PostgreSQL URL; when absent the embedded database is used. */
  url?: string;
  /** PGlite data directory; "memory://" for an in-memory database (tests). */
  dataDir?: string;
  migrate?: boolean;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  let database: Database;
  if (opts.url) {
    const client = postgres(opts.url, { max: Number(process.env.DB_POOL_SIZE ?? 10), onnotice: () => {} });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    database = { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
    if (opts.migrate !== false) await migratePostgres(db as never, { migrationsFolder: migrationsFolder() });
  } else {
    const dataDir = opts.dataDir ?? "memory://";
    let release = () => {};
    if (!dataDir.startsWith("memory://")) {
      fs.mkdirSync(dataDir, { recursive: true });
      release = acquireDataDirLock(dataDir);
    }
    const client = new PGlite(dataDir);
    await client.waitReady;
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    database = {
      db,
      kind: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
    if (opts.migrate !== false) await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
  }
  return database;
}

/** The configuration the server and the CLI share: DATABASE_URL, else PGlite in PGLITE_DIR or .data/. */
export function configuredOptions(): OpenOptions {
  const url = process.env.DATABASE_URL;
  if (url) return { url };
  return { dataDir: path.resolve(process.env.PGLITE_DIR ?? path.join(process.cwd(), ".data", "pglite")) };
}

const holder = globalThis as unknown as { __memberConsoleDb?: Promise<Database> };

/** The process-wide database, opened once (a production build may evaluate this module several times). */
export function getDatabase(): Promise<Database> {
  holder.__memberConsoleDb ??= openDatabase(configuredOptions());
  return holder.__memberConsoleDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Rows of a raw query, whichever driver answers it (PGlite gives { rows }, postgres.js an array). */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export { sql };

import fs from "node:fs";
import path from "node:path";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
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

/** The postgres.js client behind each PostgreSQL database handle (for pipelinedTransaction). */
const postgresClients = new WeakMap<object, postgres.Sql>();

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
    postgresClients.set(db, client);
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

const dialect = new PgDialect();

/**
 * Rows of a statement ($1… placeholders) run as a prepared statement: on PostgreSQL parsed and
 * planned once per connection, and sent in one round trip. Unprepared parameterised queries
 * (drizzle's default) cost two — postgres.js first asks the server for the parameter types — and
 * two queries of one transaction then cannot share a round trip. For hot statements built once,
 * whose text takes a handful of shapes (values go in parameters).
 */
export async function preparedText<T = Record<string, unknown>>(db: Db, query: { sql: string; params: unknown[] }): Promise<T[]> {
  const result = (await db._.session.prepareQuery(query, undefined, "hot", false).execute()) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A drizzle SQL as statement text and parameters. */
export const toQuery = (query: SQL) => dialect.sqlToQuery(query);

/** A statement: text with $1… placeholders, and its parameters. */
export interface Stmt {
  sql: string;
  params: unknown[];
}

/** The statements of a pipelinedTransaction: each is sent at once, and they run in the order sent. */
export class Pipeline {
  constructor(
    readonly query: <T = Record<string, unknown>>(q: Stmt) => Promise<T[]>,
    /** The transaction's connection as a drizzle handle, for the odd query built the usual way (awaited on its own). */
    readonly db: () => Db,
  ) {}
}

/** Rows of a prepared statement, on a database handle or in a pipelined transaction. */
export function runStmt<T = Record<string, unknown>>(on: Db | Pipeline, q: Stmt): Promise<T[]> {
  return on instanceof Pipeline ? on.query<T>(q) : preparedText<T>(on, q);
}

/**
 * A read-then-write transaction in two round trips. On PostgreSQL, BEGIN travels with the first
 * statements `f` sends (statements sent in the same tick go out in one packet, and the server runs
 * them in order), and the statement `f` returns as `last` travels with COMMIT; drizzle's
 * transactions wait for BEGIN, for each statement and for COMMIT in turn. On a small batch each
 * round trip costs more CPU (the kernel's, on a loopback connection) than the statements do.
 * `f` is retried by the caller, never here. On PGlite (in process): an ordinary transaction.
 */
/**
 * Statements of a pipelined transaction are planned once per connection and shape: their text is
 * constant and their values are JSON lists, so a plan for one set of values suits all. Left to
 * itself PostgreSQL kept re-planning the engine's load statement on every execution (~1 ms).
 */
const GENERIC_PLANS = "set local plan_cache_mode = force_generic_plan";

export async function pipelinedTransaction<T>(db: Db, f: (p: Pipeline) => Promise<{ result: T; last: Stmt | null }>): Promise<T> {
  const client = postgresClients.get(db);
  if (!client)
    return db.transaction(async (tx) => {
      const { result, last } = await f(new Pipeline((q) => preparedText(tx, q), () => tx));
      if (last) await preparedText(tx, last);
      return result;
    });
  const conn = await client.reserve();
  const send = (q: Stmt) => conn.unsafe(q.sql, q.params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute();
  let open = true;
  let onConnection: Db | undefined;
  try {
    const begun = Promise.all([conn.unsafe("begin").execute(), conn.unsafe(GENERIC_PLANS).execute()]);
    begun.catch(() => {});
    const { result, last } = await f(
      new Pipeline(async <R,>(q: Stmt) => {
        const rows = send(q);
        rows.catch(() => {});
        await begun;
        return (await rows) as unknown as R[];
        // drizzle reads the client's options (type parsers); a reserved connection shares its pool's.
      }, () => (onConnection ??= drizzlePostgres(Object.assign(conn, { options: client.options }), { schema }) as unknown as Db)),
    );
    const written = last ? send(last) : null;
    written?.catch(() => {});
    const committed = conn.unsafe("commit").execute();
    committed.catch(() => {});
    // A failed last statement aborts the transaction: the COMMIT behind it then answers ROLLBACK.
    if (written) await written.catch(async (e) => (await committed, Promise.reject(e)));
    await committed;
    open = false;
    return result;
  } catch (e) {
    if (open) await conn.unsafe("rollback").catch(() => {});
    throw e;
  } finally {
    conn.release();
  }
}

export { sql };

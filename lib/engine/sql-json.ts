import { is, SQL } from "drizzle-orm";
import { runStmt, toQuery, type Db, type Pipeline, type Stmt } from "@/db/client";

/**
 * Set-based statements with one JSON parameter instead of one parameter per value: for batches of
 * thousands of rows this keeps both the statement and the work of building it small. The engine's
 * statements are plain text built once per shape ($1… placeholders), not through the query builder
 * on every call: building them cost more CPU than the database spent on a small batch.
 */

/** `column = any(<the list>)` for a list passed as one JSON array (of `type` values) in parameter $n. */
export const listText = (column: string, n: number, type: "text" | "date" = "text") =>
  `${column} = any(array(select x::${type} from jsonb_array_elements_text($${n}::jsonb) as t(x)))`;

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const insertTexts = new Map<string, string>();

/**
 * `insert into <table> … select … from jsonb_to_recordset($rows)` for rows of a merchant table:
 * objects with (at least) the camelCase keys of `columns`, which gives each column's SQL type;
 * other keys are ignored, Dates go as ISO instants. Null when there are no rows. Run it alone or as
 * one part of `writeAll`.
 */
export function insertSql(table: string, merchantId: string, columns: Record<string, string>, rows: object[], opts: { onConflictDoNothing?: boolean } = {}): Stmt | null {
  if (!rows.length) return null;
  const key = `${table}|${Object.keys(columns).join(",")}|${opts.onConflictDoNothing ? 1 : 0}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const names = Object.keys(columns);
    const def = names.map((n) => `"${n}" ${columns[n]}`).join(", ");
    text = `insert into ${table} (merchant_id, ${names.map(snake).join(", ")})
      select $1, ${names.map((n) => `"${n}"`).join(", ")} from jsonb_to_recordset($2::jsonb) as x(${def})${opts.onConflictDoNothing ? " on conflict do nothing" : ""}`;
    insertTexts.set(key, text);
  }
  return { sql: text, params: [merchantId, JSON.stringify(rows)] };
}

/**
 * Data-changing statements as ONE statement (each a data-modifying CTE), so all of a batch's writes
 * take one round trip; null when there are none. Prepared, each combination of parts is one
 * statement text. The parts must touch distinct rows (they all see the same snapshot).
 */
export function combineWrites(parts: (Stmt | SQL | null)[]): Stmt | null {
  const ps = parts.filter((p): p is Stmt | SQL => p !== null).map((p) => (is(p, SQL) ? toQuery(p) : p));
  if (ps.length <= 1) return ps[0] ?? null;
  const params: unknown[] = [];
  const ctes = ps.map((p, i) => {
    const offset = params.length;
    params.push(...p.params);
    const text = offset ? p.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`) : p.sql;
    return `w${i} as (${text})`;
  });
  return { sql: `with ${ctes.join(", ")} select 1`, params };
}

/** Runs `combineWrites(parts)`. */
export async function writeAll(on: Db | Pipeline, parts: (Stmt | SQL | null)[]) {
  const stmt = combineWrites(parts);
  if (stmt) await runStmt(on, stmt);
}

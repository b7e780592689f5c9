import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Set-based statements with one JSON parameter instead of one parameter per value: for batches of
 * thousands of rows this keeps both the statement and the work of building it small (building
 * multi-row inserts through the query builder cost more CPU than the database spent on them).
 */

/** `column = any(<the list>)`, the list passed as one JSON array (of `type` values, text by default). */
export function inList(column: SQLWrapper, values: readonly string[], type: "text" | "date" = "text"): SQL {
  return sql`${column} = any(array(select x::${sql.raw(type)} from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb) as t(x)))`;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * `insert into <table> … select … from jsonb_to_recordset($rows)` for rows (objects keyed by
 * camelCase column names, without merchantId) of a merchant table; `columns` gives each column's
 * SQL type. Null when there are no rows. Run it alone or as one part of `writeAll`.
 */
export function insertSql(table: string, merchantId: string, columns: Record<string, string>, rows: object[], opts: { onConflictDoNothing?: boolean } = {}): SQL | null {
  if (!rows.length) return null;
  const names = Object.keys(columns);
  const cols = names.map(snake);
  const def = names.map((n, i) => `${cols[i]} ${columns[n]}`).join(", ");
  const data = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) o[cols[i]] = (r as Record<string, unknown>)[names[i]] ?? null;
    return o;
  });
  return sql`insert into ${sql.raw(table)} (merchant_id, ${sql.raw(cols.join(", "))})
          select ${merchantId}, ${sql.raw(cols.join(", "))} from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as x(${sql.raw(def)})
          ${opts.onConflictDoNothing ? sql`on conflict do nothing` : sql``}`;
}

/**
 * Runs data-changing statements as ONE statement (each a data-modifying CTE): one round trip for
 * all of a batch's writes. The parts must touch distinct rows (they all see the same snapshot).
 */
export async function writeAll(tx: Db, parts: (SQL | null)[]) {
  const ps = parts.filter((p): p is SQL => p !== null);
  if (ps.length === 0) return;
  if (ps.length === 1) return void (await tx.execute(ps[0]));
  await tx.execute(sql`with ${sql.join(
    ps.map((p, i) => sql`${sql.raw(`w${i}`)} as (${p})`),
    sql`, `,
  )} select 1`);
}

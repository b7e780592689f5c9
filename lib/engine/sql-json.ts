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
 * Inserts rows (objects keyed by camelCase column names, without merchantId) into a merchant table
 * as `insert … select … from jsonb_to_recordset($rows)`. `columns` gives each column's SQL type.
 */
export async function insertRows(
  tx: Db,
  table: string,
  merchantId: string,
  columns: Record<string, string>,
  rows: object[],
  opts: { onConflictDoNothing?: boolean } = {},
) {
  if (!rows.length) return;
  const names = Object.keys(columns);
  const cols = names.map(snake);
  const def = names.map((n) => `${snake(n)} ${columns[n]}`).join(", ");
  const data = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const n of names) o[snake(n)] = (r as Record<string, unknown>)[n] ?? null;
    return o;
  });
  for (let i = 0; i < data.length; i += 5000) {
    await tx.execute(
      sql`insert into ${sql.raw(table)} (merchant_id, ${sql.raw(cols.join(", "))})
          select ${merchantId}, ${sql.raw(cols.join(", "))} from jsonb_to_recordset(${JSON.stringify(data.slice(i, i + 5000))}::jsonb) as x(${sql.raw(def)})
          ${opts.onConflictDoNothing ? sql`on conflict do nothing` : sql``}`,
    );
  }
}

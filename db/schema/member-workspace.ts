import { pgTable, text, timestamp, integer, primaryKey, index, jsonb } from "drizzle-orm/pg-core";

const tz = (name: string) => timestamp(name, { withTimezone: true });

/** A CSV import running in the background: progress for the page to poll, and the rejected rows' report. */
export const importJobs = pgTable(
  "import_jobs",
  {
    merchantId: text("merchant_id").notNull(),
    id: text("id").notNull(),
    kind: text("kind", { enum: ["members", "orders"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "done", "failed"] }).notNull().default("queued"),
    fileName: text("file_name").notNull(),
    encoding: text("encoding").notNull(),
    total: integer("total").notNull().default(0),
    processed: integer("processed").notNull().default(0),
    applied: integer("applied").notNull().default(0),
    duplicates: integer("duplicates").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    /** The rejected rows as CSV (row number, reason, the row's own cells), for download. */
    report: text("report"),
    /** A generic, user-readable failure text (the details go to the server log only). */
    error: text("error"),
    /** The column chosen for each field, and who started it: what a resumed run needs. */
    mapping: jsonb("mapping").$type<Record<string, string>>(),
    actor: jsonb("actor"),
    /** Data rows of the file (in file order) whose outcome is committed: a resumed run starts after them. */
    committedRows: integer("committed_rows").notNull().default(0),
    /** Length of the report file when `committedRows` was recorded (a resumed run cuts it back to this). */
    reportBytes: integer("report_bytes").notNull().default(0),
    createdBy: text("created_by"),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
    finishedAt: tz("finished_at"),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.id] }), index("import_jobs_created").on(t.merchantId, t.createdAt)],
);

import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { csvLine } from "@/lib/csv/write";

/**
 * One export, two formats: a table's columns (a header per locale and a kind) and its rows, as CSV
 * (UTF-8 with a BOM, so Excel opens it) or .xlsx (typed cells: numbers sum, phones stay text,
 * times are the merchant's local wall clock, rates are percentages). Rows come in pages, so a
 * million members never sit in memory at once (the .xlsx is written by exceljs's streaming writer).
 */
export type ExportLocale = "zh-CN" | "en";
export type ExportFormat = "csv" | "xlsx";
/**
 * text; phone (text in Excel, never a number: leading zeros and "+86" kept); int; money (fen in,
 * yuan out); percent (a ratio: 0.123 → 12.3%); datetime (an instant, shown in the merchant's zone);
 * date (a business date, YYYY-MM-DD).
 */
export type ColumnKind = "text" | "phone" | "int" | "money" | "percent" | "datetime" | "date";
export type CellValue = string | number | Date | null | undefined;

export interface ExportColumn<R> {
  header: Record<ExportLocale, string>;
  kind: ColumnKind;
  value: (row: R) => CellValue;
  /** Width in characters in the .xlsx. */
  width?: number;
}

export interface ExportOptions {
  locale: ExportLocale;
  timeZone: string;
  sheetName: string;
}

/** An instant as the merchant's wall clock: "2026-03-08 10:15:00". */
export function localDateTime(v: Date | string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(new Date(v));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}

/** A CSV cell: every value as the text a person reads (yuan with two decimals, local times, 12.3%). */
export function csvValue(kind: ColumnKind, v: CellValue, timeZone: string): string | number | null {
  if (v === null || v === undefined || v === "") return null;
  switch (kind) {
    case "money":
      return (Number(v) / 100).toFixed(2);
    case "percent":
      return `${(Number(v) * 100).toFixed(1)}%`;
    case "datetime":
      return localDateTime(v as Date | string, timeZone);
    case "int":
      return Number(v);
    default:
      return String(v);
  }
}

/** An .xlsx cell value: numbers as numbers, a local time as Excel's zone-less date-time. */
function xlsxValue(kind: ColumnKind, v: CellValue, timeZone: string): string | number | Date | null {
  if (v === null || v === undefined || v === "") return null;
  switch (kind) {
    case "money":
      return Number(v) / 100;
    case "percent":
    case "int":
      return Number(v);
    case "datetime": {
      // Excel has no time zones: the wall clock in the merchant's zone, written as if it were UTC.
      const [d, t] = localDateTime(v as Date | string, timeZone).split(" ");
      return new Date(`${d}T${t}Z`);
    }
    case "date":
      return new Date(`${String(v)}T00:00:00Z`);
    default:
      return String(v);
  }
}

const numFmt: Partial<Record<ColumnKind, string>> = {
  phone: "@",
  text: "@",
  money: "#,##0.00",
  percent: "0.0%",
  int: "#,##0",
  datetime: "yyyy-mm-dd hh:mm:ss",
  date: "yyyy-mm-dd",
};

/** The export as a byte stream in the format asked for. `pages` yields the rows a page at a time. */
export function exportTable<R>(columns: ExportColumn<R>[], pages: () => AsyncIterable<R[]>, format: ExportFormat, opts: ExportOptions): ReadableStream<Uint8Array> {
  return format === "xlsx" ? xlsxStream(columns, pages, opts) : csvStream(columns, pages, opts);
}

function csvStream<R>(columns: ExportColumn<R>[], pages: () => AsyncIterable<R[]>, opts: ExportOptions): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let it: AsyncIterator<R[]> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!it) {
        it = pages()[Symbol.asyncIterator]();
        controller.enqueue(enc.encode("\uFEFF" + csvLine(columns.map((c) => c.header[opts.locale]))));
      }
      const next = await it.next();
      if (next.done) return controller.close();
      controller.enqueue(enc.encode(next.value.map((r) => csvLine(columns.map((c) => csvValue(c.kind, c.value(r), opts.timeZone)))).join("")));
    },
  });
}

function xlsxStream<R>(columns: ExportColumn<R>[], pages: () => AsyncIterable<R[]>, opts: ExportOptions): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const write = async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet(opts.sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = columns.map((c, i) => ({ key: String(i), width: c.width ?? Math.max(10, c.header[opts.locale].length * 2 + 2), style: numFmt[c.kind] ? { numFmt: numFmt[c.kind] } : {} }));
    const head = ws.addRow(columns.map((c) => c.header[opts.locale]));
    head.font = { bold: true };
    head.commit();
    for await (const page of pages())
      for (const r of page) ws.addRow(columns.map((c) => xlsxValue(c.kind, c.value(r), opts.timeZone))).commit();
    ws.commit();
    await wb.commit();
  };
  write().catch((e) => out.destroy(e as Error));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** Content-Disposition for a download: an ASCII name for old clients and the localized one (RFC 6266). */
export function attachment(name: Record<ExportLocale, string>, businessDate: string, format: ExportFormat, locale: ExportLocale): string {
  const ascii = `${name.en}-${businessDate}.${format}`;
  const local = `${name[locale]}-${businessDate}.${format}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(local)}`;
}

export const contentType: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** `format=xlsx` in the query asks for .xlsx; anything else is CSV. */
export const exportFormat = (params: URLSearchParams): ExportFormat => (params.get("format") === "xlsx" ? "xlsx" : "csv");

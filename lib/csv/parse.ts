import Papa from "papaparse";

export interface ParsedCsv {
  headers: string[];
  /** Each data row keyed by header; row numbers in reports count the header as row 1. */
  rows: Record<string, string>[];
}

export function parseCsv(text: string): ParsedCsv {
  const out = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: "greedy", transformHeader: (h) => h.trim() });
  return { headers: (out.meta.fields ?? []).filter((h) => h !== ""), rows: out.data };
}

const needsQuote = /[",\r\n]/;
export const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  // A leading = + - @ would run as a formula in Excel: prefix a quote (OWASP CSV injection).
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return needsQuote.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
export const csvLine = (cells: unknown[]) => cells.map(csvCell).join(",") + "\r\n";

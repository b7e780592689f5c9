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

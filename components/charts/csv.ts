import { csvLine } from "@/lib/csv/write";

/** CSV text of rows (the app's one cell writer; columns = the keys of `columns`, in order). */
export function toCsv(columns: { key: string; label: string }[], rows: object[]): string {
  return csvLine(columns.map((c) => c.label)) + rows.map((r) => csvLine(columns.map((c) => (r as Record<string, unknown>)[c.key]))).join("");
}

/** Downloads `csv` as a file (with a BOM so spreadsheet apps read the Chinese labels as UTF-8). */
export function downloadCsv(filename: string, csv: string) {
  const url = URL.createObjectURL(new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

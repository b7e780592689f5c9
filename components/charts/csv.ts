/** CSV text of rows (RFC 4180 quoting; columns = the keys of `columns`, in order). */
export function toCsv(columns: { key: string; label: string }[], rows: object[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [columns.map((c) => cell(c.label)).join(","), ...rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c.key])).join(","))].join("\r\n") + "\r\n";
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

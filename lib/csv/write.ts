/**
 * The one CSV cell writer of the app (members export, import reports, chart exports): RFC 4180
 * quoting plus OWASP's rule against formula injection. A text cell starting with = + - @ TAB or
 * CR would run as a formula in Excel or LibreOffice, so it gets a leading single quote. Numbers,
 * and text that is exactly a decimal number ("-50", "-12.50"), are no formula and stay raw, so a
 * negative balance still sums in a spreadsheet. No imports: the browser bundles it too.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = String(value);
  const safe = typeof value !== "number" && FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: unknown[]) => cells.map(csvCell).join(",") + "\r\n";

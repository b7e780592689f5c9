import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "@/lib/csv/write";
import { toCsv } from "@/components/charts/csv";

// OWASP "CSV Injection": a text cell starting with = + - @ TAB or CR is neutralised by a leading
// single quote. Numbers (and text that is exactly a decimal number) are not formulas: left raw.
describe("csvCell neutralises formulas in text cells", () => {
  it.each([
    ["=SUM(A1)", "'=SUM(A1)"],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"],
    ["-1", "-1"],
    ["-12.50", "-12.50"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcalc", "'\tcalc"],
    ["\rcalc", "\"'\rcalc\""],
    ["-", "'-"],
    ["--1", "'--1"],
    ["-1e3", "'-1e3"],
    ["2-1", "2-1"],
  ])("%j → %j", (value, out) => expect(csvCell(value)).toBe(out));
  it("writes numbers raw, negative ones too", () => {
    expect(csvCell(-50)).toBe("-50");
    expect(csvLine([-50, 0, 12.5, null, undefined])).toBe("-50,0,12.5,,\r\n");
  });
  it("quotes after neutralising", () => {
    expect(csvCell('=HYPERLINK("http://x","y"),z')).toBe('"\'=HYPERLINK(""http://x"",""y""),z"');
  });
  it("is the rule of the chart export too", () => {
    const csv = toCsv([{ key: "label", label: "=label" }, { key: "v", label: "value" }], [{ label: "-1+cmd|' /C calc'!A0", v: -50 }]);
    expect(csv).toBe("'=label,value\r\n'-1+cmd|' /C calc'!A0,-50\r\n");
  });
});

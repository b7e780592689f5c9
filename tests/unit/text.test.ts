import { describe, expect, it } from "vitest";
import { isUnsafeText, safeText } from "@/lib/schemas/text";

describe("safeText", () => {
  it.each([
    ["a\u0000b", true],
    ["\ud800", true],
    ["x\udc00", true],
    ["\ud83d\ude00 ok", false],
    ["会员", false],
    ["", false],
  ])("%j unsafe = %s", (s, unsafe) => {
    expect(isUnsafeText(s)).toBe(unsafe);
    expect(safeText().safeParse(s).success).toBe(!unsafe);
  });
});

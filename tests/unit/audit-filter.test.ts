import { describe, expect, it } from "vitest";
import { auditFilter } from "@/lib/schemas/workbench";

describe("the audit log's filter", () => {
  it.each(["action", "entity", "actor"])("refuses a NUL or a lone surrogate in %s (the database would fail on it)", (field) => {
    expect(auditFilter.safeParse({ [field]: "a\u0000b" }).success).toBe(false);
    expect(auditFilter.safeParse({ [field]: "\udc00" }).success).toBe(false);
    expect(auditFilter.safeParse({ [field]: "member.adjust_points" }).success).toBe(true);
  });
});

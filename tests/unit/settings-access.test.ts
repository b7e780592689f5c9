import { describe, expect, it } from "vitest";
import { settingsTabsFor } from "@/components/settings/settings-tab-keys";
import { timeZoneOptions } from "@/lib/util/time-zones";
import type { Actor } from "@/lib/auth/actor";

const user = (role: "owner" | "operator" | "analyst"): Actor => ({ kind: "user", userId: `u-${role}`, merchantId: "m1", role, email: `${role}@x.test`, name: role });

describe("Settings tabs by role", () => {
  it("operators and analysts see the tabs they may open, not none", () => {
    expect(settingsTabsFor(user("operator"))).toEqual(["general", "program"]);
    expect(settingsTabsFor(user("analyst"))).toEqual(["general", "program"]);
  });
  it("owners see every section", () => {
    expect(settingsTabsFor(user("owner"))).toEqual(["general", "users", "apiKeys", "program", "webhooks", "audit"]);
  });
});

describe("time zone options", () => {
  it("lists IANA zones with their offset from UTC at the given moment", () => {
    const at = new Date("2026-07-01T00:00:00Z");
    const zones = timeZoneOptions(undefined, at);
    expect(zones.find((z) => z.zone === "Asia/Shanghai")?.offset).toBe("UTC+08:00");
    expect(zones.find((z) => z.zone === "America/St_Johns")?.offset).toBe("UTC-02:30"); // Newfoundland summer time
    expect(zones.find((z) => z.zone === "UTC")?.offset).toBe("UTC+00:00");
    expect(zones.length).toBeGreaterThan(300);
    expect(zones.map((z) => z.zone)).toEqual([...zones.map((z) => z.zone)].sort());
  });
});

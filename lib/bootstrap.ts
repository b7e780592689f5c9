import { count } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createUser } from "@/lib/tenancy/users";

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "demo-2026";
export const demoUsers = [
  { email: "owner@demo.local", name: "王店长", role: "owner" as const },
  { email: "operator@demo.local", name: "李运营", role: "operator" as const },
  { email: "analyst@demo.local", name: "赵分析", role: "analyst" as const },
];

/**
 * On an empty database: the demo merchant with the demo program and one user per role.
 * Runs at every start and does nothing once any merchant exists, so restarts never duplicate.
 */
export async function seedDemoIfEmpty(db: Db, opts: { onSeeded?: (merchantId: string) => Promise<void> } = {}): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(merchants);
  if (n > 0) return false;
  const m = await createMerchant(db, { slug: "demo", name: "演示商户", demoProgram: true });
  for (const u of demoUsers) await createUser(db, m.id, { ...u, password: DEMO_PASSWORD });
  await opts.onSeeded?.(m.id);
  return true;
}

export function demoLoginsText() {
  return [
    "Demo logins (演示账号) — merchant 演示商户 (demo):",
    ...demoUsers.map((u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(22)} password: ${DEMO_PASSWORD}`),
  ].join("\n");
}

import { count, inArray, isNull, and } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, users } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createUser } from "@/lib/tenancy/users";

// Ten characters and more, as the password policy asks of every new password.
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "demo-2026-console";
export const demoUsers = [
  { email: "owner@demo.local", name: "王店长", role: "owner" as const },
  { email: "operator@demo.local", name: "李运营", role: "operator" as const },
  { email: "analyst@demo.local", name: "赵分析", role: "analyst" as const },
];

/**
 * Whether a first start makes the demo merchant and its users (known credentials): on the embedded
 * database (a local trial) unless `DEMO=0`, on PostgreSQL (a deployment) only with `DEMO=1`.
 */
export function demoWanted(kind: "pglite" | "postgres", env: Record<string, string | undefined> = process.env) {
  if (env.DEMO === "1") return true;
  if (env.DEMO === "0") return false;
  return kind === "pglite";
}

/**
 * On an empty database: the demo merchant with the demo program and one user per role, when
 * `demoWanted`. Runs at every start and does nothing once any merchant exists, so restarts never duplicate.
 */
export async function seedDemoIfEmpty(
  db: Db,
  opts: { kind: "pglite" | "postgres"; env?: Record<string, string | undefined>; onSeeded?: (merchantId: string) => Promise<void> },
): Promise<"seeded" | "not_empty" | "no_demo"> {
  const [{ n }] = await db.select({ n: count() }).from(merchants);
  if (n > 0) return "not_empty";
  if (!demoWanted(opts.kind, opts.env)) return "no_demo";
  const m = await createMerchant(db, { slug: "demo", name: "演示商户", demoProgram: true });
  for (const u of demoUsers) await createUser(db, m.id, { ...u, password: DEMO_PASSWORD });
  await opts.onSeeded?.(m.id);
  return "seeded";
}

/** Whether any demo user exists and is enabled: the sign-in page advertises the demo logins only then. */
export async function demoLoginsExist(db: Db): Promise<boolean> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(users)
    .where(and(inArray(users.email, demoUsers.map((u) => u.email)), isNull(users.disabledAt)));
  return n > 0;
}

export function demoLoginsText() {
  return [
    "Demo logins (演示账号) — merchant 演示商户 (demo):",
    ...demoUsers.map((u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(22)} password: ${DEMO_PASSWORD}`),
  ].join("\n");
}

export function firstOwnerText() {
  return [
    "No merchant yet, and no default credentials on PostgreSQL (DEMO=1 makes the demo merchant instead).",
    "Create the first merchant and its owner:",
    '  npm run cli -- merchant create --slug shop1 --name "一号店"',
    "  npm run cli -- user create --merchant shop1 --email you@example.com --role owner   # prints a generated password",
  ].join("\n");
}

import type { Role } from "@/db/schema";

/** Who is acting, already narrowed to one merchant: the guard's output and every domain call's input. */
export type Actor =
  | { kind: "user"; userId: string; merchantId: string; role: Role; email: string; name: string }
  | { kind: "api_key"; keyId: string; merchantId: string; prefix: string };

export type Permission =
  | "program.read"
  | "program.write"
  | "events.write"
  | "members.read"
  | "members.write"
  | "jobs.run"
  | "metrics.read"
  | "users.manage"
  | "apikeys.manage"
  | "audit.read"
  | "settings.write"
  | "outbox.read"
  | "webhooks.manage"
  | "mall.write";

type Principal = Role | "api_key";

/** The whole access policy. Anything not listed is denied. */
const policy: Record<Permission, readonly Principal[]> = {
  "program.read": ["owner", "operator", "analyst", "api_key"],
  "program.write": ["owner", "operator", "api_key"],
  "events.write": ["owner", "operator", "api_key"],
  "members.read": ["owner", "operator", "analyst", "api_key"],
  "members.write": ["owner", "operator", "api_key"],
  "jobs.run": ["owner", "api_key"],
  "metrics.read": ["owner", "operator", "analyst", "api_key"],
  "users.manage": ["owner"],
  "apikeys.manage": ["owner"],
  "audit.read": ["owner"],
  "settings.write": ["owner"],
  "outbox.read": ["owner", "operator", "api_key"],
  // API keys are made by owners: "owner keys and sessions only" (api.md).
  "webhooks.manage": ["owner", "api_key"],
  /** Points-mall items (积分商城) and the fulfilment of its orders; analysts read them with program.read. */
  "mall.write": ["owner", "operator", "api_key"],
};

export function principalOf(actor: Actor): Principal {
  return actor.kind === "user" ? actor.role : "api_key";
}

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  if (!actor) return false;
  return policy[permission]?.includes(principalOf(actor)) ?? false;
}

/** Phone numbers are masked for analysts. */
export function seesFullPhone(actor: Actor): boolean {
  return principalOf(actor) !== "analyst";
}

import { can, type Actor } from "@/lib/auth/actor";

/** The settings sections a role may open, in tab order (the sub-pages refuse others on their own). */
export function settingsTabsFor(actor: Actor | null) {
  return [
    "general" as const,
    ...(can(actor, "users.manage") ? (["users"] as const) : []),
    ...(can(actor, "apikeys.manage") ? (["apiKeys"] as const) : []),
    ...(can(actor, "program.read") ? (["program"] as const) : []),
    ...(can(actor, "webhooks.manage") ? (["webhooks"] as const) : []),
    ...(can(actor, "audit.read") ? (["audit"] as const) : []),
  ];
}

/** The console's areas, in sidebar order; the label is `nav.<key>` in the messages. */
export const areas = [
  { key: "dashboard", href: "/" },
  { key: "members", href: "/members" },
  { key: "tiers", href: "/tiers" },
  { key: "rights", href: "/rights" },
  { key: "points", href: "/points" },
  { key: "campaigns", href: "/campaigns" },
  { key: "automations", href: "/automations" },
  { key: "mall", href: "/mall" },
  { key: "outbox", href: "/outbox" },
  { key: "settings", href: "/settings" },
] as const;

export type AreaKey = (typeof areas)[number]["key"];

export function isActive(href: string, pathname: string) {
  // The overview owns the dashboard pages under /dashboards too.
  if (href === "/") return pathname === "/" || pathname.startsWith("/dashboards");
  return pathname === href || pathname.startsWith(`${href}/`);
}

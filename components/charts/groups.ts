/** The metric pages under /dashboards/<group>, in tab order (the overview is `/`). */
export const dashboardGroups = ["tiers", "rights", "revenue", "lifecycle", "points"] as const;
export type DashboardGroup = (typeof dashboardGroups)[number];

export function isDashboardGroup(g: string): g is DashboardGroup {
  return (dashboardGroups as readonly string[]).includes(g);
}

export * from "./tenancy";
export * from "./program";
export * from "./members";
export * from "./member-workspace";
export * from "./dashboards";
export * from "./metric-aggregates";
export * from "./jobs";
export * from "./webhooks";

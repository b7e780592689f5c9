/**
 * The IANA time zones this server knows (the program schema accepts exactly what Intl accepts),
 * each with its offset from UTC now, for a select. Computed on the server and passed to the page,
 * so the browser's own list (which may differ) never disagrees with the validation.
 */
export interface TimeZoneOption {
  zone: string;
  /** "UTC+08:00" at `at`. */
  offset: string;
}

function offsetOf(zone: string, at: Date): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  // "GMT+08:00", "GMT-03:30", or "GMT" for UTC itself.
  return part === "GMT" ? "UTC+00:00" : part.replace("GMT", "UTC");
}

export function timeZoneOptions(current?: string, at = new Date()): TimeZoneOption[] {
  const zones = new Set(Intl.supportedValuesOf("timeZone"));
  zones.add("UTC");
  if (current) zones.add(current);
  return [...zones].sort().map((zone) => ({ zone, offset: offsetOf(zone, at) }));
}

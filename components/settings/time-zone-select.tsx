"use client";
import { useTranslations } from "next-intl";
import { forwardRef, useId, useMemo, useState } from "react";
import { Input, Select } from "@/components/ui/field";
import type { TimeZoneOption } from "@/lib/util/time-zones";

/** Zones a merchant in China most likely wants, first in the list. */
const common = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "UTC"];

/**
 * A select of IANA time zones with a search box above it that narrows the list (by name or offset):
 * no free text, so only a zone the server accepts can be chosen.
 */
export const TimeZoneSelect = forwardRef<
  HTMLSelectElement,
  { id: string; zones: TimeZoneOption[]; value: string; onChange: (zone: string) => void; onBlur?: () => void; invalid?: boolean; disabled?: boolean; describedBy?: string }
>(function TimeZoneSelect({ id, zones, value, onChange, onBlur, invalid, disabled, describedBy }, ref) {
  const t = useTranslations("timeZoneSelect");
  const searchId = useId();
  const [query, setQuery] = useState("");
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase().replace(/\s+/g, "_");
    const match = (z: TimeZoneOption) => !q || z.zone.toLowerCase().includes(q) || z.offset.toLowerCase().includes(q);
    const first = common.map((c) => zones.find((z) => z.zone === c)).filter((z): z is TimeZoneOption => !!z && match(z));
    const rest = zones.filter((z) => !common.includes(z.zone) && match(z));
    // The chosen zone stays an option whatever the search, so the select never shows another one.
    const chosen = zones.find((z) => z.zone === value);
    const all = [...first, ...rest];
    return chosen && !all.includes(chosen) ? [chosen, ...all] : all;
  }, [query, zones, value]);
  return (
    <div className="space-y-1.5">
      <label htmlFor={searchId} className="sr-only">
        {t("search")}
      </label>
      <Input id={searchId} type="search" placeholder={t("search")} value={query} onChange={(e) => setQuery(e.target.value)} disabled={disabled} data-testid="tz-search" />
      <Select id={id} ref={ref} value={value} onChange={(e) => onChange(e.target.value)} onBlur={onBlur} invalid={invalid} disabled={disabled} aria-describedby={describedBy} data-testid="tz-select">
        {shown.map((z) => (
          <option key={z.zone} value={z.zone}>
            {z.zone} ({z.offset})
          </option>
        ))}
      </Select>
      <p className="text-xs text-gray-500">{t("count", { shown: shown.length, total: zones.length })}</p>
    </div>
  );
});

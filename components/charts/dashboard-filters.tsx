"use client";
import clsx from "clsx";
import { useRouter } from "next/navigation";
import { usePathname, useSearchParams } from "@/components/navigation";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { granularities, parseFilters, presets, defaultGranularity, type DashboardFilters, type Preset } from "@/lib/dashboards/range";

export interface NamedCode {
  code: string;
  name: string;
  /** A tier's colour in the program (tier charts). */
  color?: string;
}

/** The filters of the URL (`range`, `from`, `to`, `tier`, `granularity`), parsed against today's business date. */
export function useDashboardFilters(today: string, tiers: NamedCode[]): DashboardFilters {
  const search = useSearchParams();
  return useMemo(() => parseFilters(Object.fromEntries(search.entries()), today, tiers.map((t) => t.code)), [search, today, tiers]);
}

/** Range presets, custom dates, tier and granularity; every change replaces the URL search params. */
export function DashboardFiltersBar({ filters, tiers }: { filters: DashboardFilters; tiers: NamedCode[] }) {
  const t = useTranslations("dashboards.filters");
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [custom, setCustom] = useState({ from: filters.from, to: filters.to });

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(search.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  }

  function choosePreset(p: Preset) {
    if (p === "custom") {
      update({ range: "custom", from: filters.from, to: filters.to });
      setCustom({ from: filters.from, to: filters.to });
      return;
    }
    // A new range gets the granularity that suits it, unless the user picks another afterwards.
    update({ range: p, from: null, to: null, granularity: null });
  }

  return (
    <div className="mb-6 flex flex-wrap items-end gap-x-5 gap-y-3 rounded-xl border border-gray-200 bg-white px-4 py-3 shadow-xs" data-testid="dashboard-filters">
      <div role="group" aria-label={t("range")} className="flex flex-wrap gap-1 rounded-lg bg-gray-100 p-1">
        {presets.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={filters.preset === p}
            onClick={() => choosePreset(p)}
            className={clsx(
              "h-7 rounded-md px-2.5 text-sm font-medium transition-colors",
              filters.preset === p ? "bg-white text-accent-700 shadow-sm" : "text-gray-600 hover:text-gray-900",
            )}
          >
            {t(`presets.${p}`)}
          </button>
        ))}
      </div>
      {filters.preset === "custom" ? (
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (custom.from && custom.to && custom.from <= custom.to)
              update({ range: "custom", from: custom.from, to: custom.to, granularity: defaultGranularity(custom.from, custom.to) });
          }}
        >
          <div className="text-xs font-medium text-gray-600">
            <label htmlFor="dashboard-from">{t("from")}</label>
            <input id="dashboard-from" type="date" value={custom.from} max={custom.to} onChange={(e) => setCustom({ ...custom, from: e.target.value })} className={inputClass} />
          </div>
          <div className="text-xs font-medium text-gray-600">
            <label htmlFor="dashboard-to">{t("to")}</label>
            <input id="dashboard-to" type="date" value={custom.to} min={custom.from} onChange={(e) => setCustom({ ...custom, to: e.target.value })} className={inputClass} />
          </div>
          <button type="submit" className="h-8 rounded-md bg-accent-600 px-3 text-sm font-medium text-white hover:bg-accent-700">
            {t("apply")}
          </button>
        </form>
      ) : null}
      <div className="text-xs font-medium text-gray-600">
        <label htmlFor="dashboard-tier">{t("tier")}</label>
        <select id="dashboard-tier" title={t("tierHint")} value={filters.tier ?? ""} onChange={(e) => update({ tier: e.target.value || null })} className={inputClass}>
          <option value="">{t("allTiers")}</option>
          {tiers.map((tier) => (
            <option key={tier.code} value={tier.code}>
              {tier.name}
            </option>
          ))}
        </select>
      </div>
      <div className="text-xs font-medium text-gray-600">
        <label htmlFor="dashboard-granularity">{t("granularity")}</label>
        <select id="dashboard-granularity" value={filters.granularity} onChange={(e) => update({ granularity: e.target.value })} className={inputClass}>
          {granularities.map((g) => (
            <option key={g} value={g}>
              {t(`granularities.${g}`)}
            </option>
          ))}
        </select>
      </div>
      <p className="ml-auto text-sm text-gray-500" data-testid="dashboard-range">
        {filters.from} ~ {filters.to}
      </p>
    </div>
  );
}

const inputClass = "mt-1 block h-8 rounded-md border-0 bg-white px-2 text-sm text-gray-900 shadow-sm ring-1 ring-gray-300 ring-inset focus:ring-2 focus:ring-accent-600";


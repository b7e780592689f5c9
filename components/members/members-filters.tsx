"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { usePathname, useSearchParams } from "@/components/navigation";
import { useTransition, type FormEvent } from "react";
import { lifecycles, rfmSegments } from "@/lib/schemas/members";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";

const keys = ["q", "tier", "lifecycle", "segment", "card", "spendMin", "spendMax", "pointsMin", "pointsMax", "regFrom", "regTo"] as const;

/** The filter bar: submitting writes the filter into the URL (page 1), so the view is shareable. */
export function MembersFilters({ tiers, plans = [] }: { tiers: { code: string; label: string }[]; plans?: { code: string; label: string }[] }) {
  const t = useTranslations("members");
  const tCard = useTranslations("membership.filter");
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of ["sort", "dir", "cols", "r", "f", "m"]) if (params.get(k)) next.set(k, params.get(k)!);
    for (const k of keys) {
      const v = String(form.get(k) ?? "").trim();
      if (v) next.set(k, v);
    }
    startTransition(() => router.push(`${pathname}?${next.toString()}`));
  }

  const v = (k: string) => params.get(k) ?? "";
  const hasFilter = [...keys, "r", "f", "m"].some((k) => params.get(k));
  // Exact RFM scores come from the RFM grid's drill-down links; shown here so they can be removed.
  const scores = (["r", "f", "m"] as const).filter((k) => params.get(k)).map((k) => `${k.toUpperCase()}${params.get(k)}`);
  const removeScores = () => {
    const next = new URLSearchParams(params.toString());
    for (const k of ["r", "f", "m", "cursor"]) next.delete(k);
    startTransition(() => router.push(`${pathname}?${next.toString()}`));
  };
  return (
    <form onSubmit={apply} role="search" aria-label={t("filters.label")} className="space-y-3 px-5 py-4" key={params.toString()}>
      <div className="flex flex-wrap items-end gap-3">
        <label className="min-w-64 flex-1 text-sm">
          <span className="mb-1 block font-medium text-gray-700">{t("filters.search")}</span>
          <Input name="q" defaultValue={v("q")} placeholder={t("filters.searchPlaceholder")} type="search" />
        </label>
        <label className="w-36 text-sm">
          <span className="mb-1 block font-medium text-gray-700">{t("filters.tier")}</span>
          <Select name="tier" defaultValue={v("tier")}>
            <option value="">{t("filters.any")}</option>
            {tiers.map((x) => (
              <option key={x.code} value={x.code}>
                {x.label}
              </option>
            ))}
          </Select>
        </label>
        <label className="w-36 text-sm">
          <span className="mb-1 block font-medium text-gray-700">{tCard("label")}</span>
          <Select name="card" defaultValue={v("card")}>
            <option value="">{t("filters.any")}</option>
            <option value="any">{tCard("holding")}</option>
            {plans.map((x) => (
              <option key={x.code} value={x.code}>
                {x.label}
              </option>
            ))}
          </Select>
        </label>
        <label className="w-32 text-sm">
          <span className="mb-1 block font-medium text-gray-700">{t("filters.lifecycle")}</span>
          <Select name="lifecycle" defaultValue={v("lifecycle")}>
            <option value="">{t("filters.any")}</option>
            {lifecycles.map((x) => (
              <option key={x} value={x}>
                {t(`lifecycle.${x}`)}
              </option>
            ))}
          </Select>
        </label>
        <label className="w-36 text-sm">
          <span className="mb-1 block font-medium text-gray-700">{t("filters.segment")}</span>
          <Select name="segment" defaultValue={v("segment")}>
            <option value="">{t("filters.any")}</option>
            {rfmSegments.map((x) => (
              <option key={x} value={x}>
                {t(`segment.${x}`)}
              </option>
            ))}
          </Select>
        </label>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <Range label={t("filters.spend")} min="spendMin" max="spendMax" v={v} unit="¥" />
        <Range label={t("filters.points")} min="pointsMin" max="pointsMax" v={v} />
        <fieldset className="text-sm">
          <legend className="mb-1 font-medium text-gray-700">{t("filters.registered")}</legend>
          <div className="flex items-center gap-1.5">
            <Input name="regFrom" type="date" defaultValue={v("regFrom")} aria-label={t("filters.from")} className="w-40" />
            <span className="text-gray-400">–</span>
            <Input name="regTo" type="date" defaultValue={v("regTo")} aria-label={t("filters.to")} className="w-40" />
          </div>
        </fieldset>
        {scores.length ? (
          <span className="inline-flex h-9 items-center gap-2 rounded-md bg-accent-50 px-3 text-sm text-accent-700 ring-1 ring-accent-200" data-testid="rfm-scores">
            {t("filters.rfmScores", { scores: scores.join(" ") })}
            <button type="button" onClick={removeScores} className="font-medium hover:underline">
              {t("filters.removeRfm")}
            </button>
          </span>
        ) : null}
        <div className="ml-auto flex gap-2">
          {hasFilter ? (
            <Button variant="ghost" onClick={() => startTransition(() => router.push(pathname))}>
              {t("filters.clear")}
            </Button>
          ) : null}
          <Button type="submit" disabled={pending}>
            {t("filters.apply")}
          </Button>
        </div>
      </div>
    </form>
  );
}

function Range({ label, min, max, v, unit }: { label: string; min: string; max: string; v: (k: string) => string; unit?: string }) {
  const t = useTranslations("members.filters");
  return (
    <fieldset className="text-sm">
      <legend className="mb-1 font-medium text-gray-700">
        {label}
        {unit ? ` (${unit})` : ""}
      </legend>
      <div className="flex items-center gap-1.5">
        <Input name={min} inputMode="numeric" defaultValue={v(min)} aria-label={`${label} ${t("min")}`} placeholder={t("min")} className="w-24" />
        <span className="text-gray-400">–</span>
        <Input name={max} inputMode="numeric" defaultValue={v(max)} aria-label={`${label} ${t("max")}`} placeholder={t("max")} className="w-24" />
      </div>
    </fieldset>
  );
}

"use client";
import clsx from "clsx";
import Link from "next/link";
import { usePathname, useSearchParams } from "@/components/navigation";
import { useTranslations } from "next-intl";
import { dashboardGroups } from "./groups";

/** Tabs between the overview and the metric pages; the filters travel along in the query string. */
export function DashboardNav() {
  const t = useTranslations("dashboards.nav");
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const tabs = [{ key: "overview", href: "/" }, ...dashboardGroups.map((g) => ({ key: g, href: `/dashboards/${g}` }))];
  return (
    <nav aria-label={t("label")} className="mb-4 flex gap-1 overflow-x-auto border-b border-gray-200">
      {tabs.map((tab) => {
        const active = pathname === tab.href;
        return (
          <Link
            key={tab.key}
            href={search ? `${tab.href}?${search}` : tab.href}
            aria-current={active ? "page" : undefined}
            className={clsx(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap",
              active ? "border-accent-600 text-accent-700" : "border-transparent text-gray-500 hover:border-gray-300 hover:text-gray-800",
            )}
          >
            {t(tab.key)}
          </Link>
        );
      })}
    </nav>
  );
}

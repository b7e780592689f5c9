"use client";
import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "@/components/navigation";
import { useTranslations } from "next-intl";
import { icons } from "@/components/ui/icons";
import { areas, isActive } from "./areas";

/** Labels beside icons from 1024 px; below, an icon rail whose labels stay for screen readers and tooltips. */
export function SidebarNav() {
  const t = useTranslations("nav");
  const pathname = usePathname();
  return (
    <nav aria-label={t("label")} className="flex-1 overflow-y-auto px-2 py-3 lg:px-3">
      <ul className="space-y-1">
        {areas.map(({ key, href }) => {
          const Icon = icons[key];
          const active = isActive(href, pathname);
          return (
            <li key={key}>
              <Link
                href={href}
                title={t(key)}
                aria-current={active ? "page" : undefined}
                className={clsx(
                  "group flex h-10 items-center justify-center gap-3 rounded-lg px-2.5 text-sm font-medium transition-colors lg:justify-start",
                  active ? "bg-accent-50 text-accent-700" : "text-gray-600 hover:bg-gray-100 hover:text-gray-900",
                )}
              >
                <Icon className={clsx("size-5 shrink-0", active ? "text-accent-600" : "text-gray-400 group-hover:text-gray-500")} />
                <span className="sr-only lg:not-sr-only">{t(key)}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

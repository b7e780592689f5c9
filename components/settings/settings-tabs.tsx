"use client";
import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

const tabs = [
  { key: "general", href: "/settings" },
  { key: "users", href: "/settings/users" },
  { key: "apiKeys", href: "/settings/api-keys" },
  { key: "program", href: "/settings/program" },
  { key: "webhooks", href: "/settings/webhooks" },
  { key: "audit", href: "/settings/audit" },
] as const;

export type SettingsTabKey = (typeof tabs)[number]["key"];

/** The settings sections; `show` lists the ones the signed-in role may open. */
export function SettingsTabs({ show }: { show: readonly SettingsTabKey[] }) {
  const t = useTranslations("settings");
  const pathname = usePathname();
  return (
    <nav aria-label={t("tabsLabel")} className="mb-6 border-b border-gray-200">
      <ul className="-mb-px flex gap-6">
        {tabs.filter((tab) => show.includes(tab.key)).map(({ key, href }) => {
          const active = pathname === href;
          return (
            <li key={key}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={clsx(
                  "inline-block border-b-2 px-0.5 pb-3 text-sm font-medium transition-colors",
                  active ? "border-accent-600 text-accent-700" : "border-transparent text-gray-500 hover:border-gray-300 hover:text-gray-800",
                )}
              >
                {t(`tabs.${key}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

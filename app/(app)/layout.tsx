import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/guard";
import { getMerchant } from "@/lib/tenancy/merchants";
import { Badge } from "@/components/ui/badge";
import { icons } from "@/components/ui/icons";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { SeedingBanner } from "@/components/shell/seeding-banner";
import { seedingPercent, seedingStatus } from "@/lib/seed/seeding-status";

/** The signed-in console: sidebar, header, and the page. Signed-out visitors go to /sign-in. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  const merchant = await getMerchant(db, actor.merchantId);
  const t = await getTranslations();
  const seeding = seedingStatus();

  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow-lg"
      >
        {t("shell.skipToContent")}
      </a>

      <aside className="sticky top-0 flex h-screen w-16 shrink-0 flex-col border-r border-gray-200 bg-white lg:w-60">
        <div className="flex h-14 shrink-0 items-center justify-center gap-2.5 border-b border-gray-100 px-3 lg:justify-start lg:px-5">
          <span className="flex size-8 items-center justify-center rounded-lg bg-accent-600 text-white">
            <icons.logo className="size-5" />
          </span>
          <span className="sr-only text-sm font-semibold text-gray-900 lg:not-sr-only">{t("common.brand")}</span>
        </div>
        <SidebarNav />
      </aside>

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-10 flex h-14 items-center justify-between gap-4 border-b border-gray-200 bg-white/95 px-4 backdrop-blur md:px-6">
          <div className="flex min-w-0 items-center gap-2">
            <icons.store className="size-5 shrink-0 text-gray-400" />
            <span className="sr-only">{t("shell.merchant")}</span>
            <span data-testid="merchant-name" className="truncate text-sm font-semibold text-gray-900">
              {merchant.name}
            </span>
          </div>
          <div className="flex shrink-0 items-center gap-3">
            <LocaleSwitch />
            <div className="h-6 w-px bg-gray-200" aria-hidden="true" />
            <div className="flex items-center gap-2">
              <span className="sr-only">{t("shell.account")}</span>
              <span aria-hidden="true" className="flex size-8 items-center justify-center rounded-full bg-gray-100 text-sm font-medium text-gray-600">
                {actor.name.slice(0, 1)}
              </span>
              <span data-testid="user-name" className="hidden text-sm font-medium text-gray-800 md:inline">
                {actor.name}
              </span>
              <Badge tone="accent">
                <span data-testid="user-role">{t(`roles.${actor.role}`)}</span>
              </Badge>
            </div>
            <SignOutButton />
          </div>
        </header>
        <SeedingBanner initial={seeding ? { state: seeding.state, percent: seedingPercent(seeding), date: seeding.date } : null} />

        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 focus:outline-none md:px-8 md:py-8">
          <div className="mx-auto w-full max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}

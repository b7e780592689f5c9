import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/guard";
import { PageHeader } from "@/components/shell/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { settingsTabsFor } from "@/components/settings/settings-tab-keys";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const { actor } = await currentActor();
  const t = await getTranslations("settings");
  // Every role sees the sections it may open (operators and analysts: general and the program).
  const show = settingsTabsFor(actor);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {show.length > 1 ? <SettingsTabs show={show} /> : null}
      {children}
    </>
  );
}

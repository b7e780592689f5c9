import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { PageHeader } from "@/components/shell/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const { actor } = await currentActor();
  const t = await getTranslations("settings");
  // Only owners have more than the general section; the sub-pages refuse others on their own.
  const showTabs = can(actor, "users.manage") || can(actor, "apikeys.manage");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {showTabs ? <SettingsTabs /> : null}
      {children}
    </>
  );
}

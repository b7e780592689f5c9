import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { PageHeader } from "@/components/shell/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const { actor } = await currentActor();
  const t = await getTranslations("settings");
  // Owners get the section tabs (only they have more than the general section and the program
  // page, which editors reach from every workbench page); the sub-pages refuse others on their own.
  const show = [
    "general" as const,
    ...(can(actor, "users.manage") ? (["users"] as const) : []),
    ...(can(actor, "apikeys.manage") ? (["apiKeys"] as const) : []),
    ...(can(actor, "program.read") ? (["program"] as const) : []),
    ...(can(actor, "webhooks.manage") ? (["webhooks"] as const) : []),
    ...(can(actor, "audit.read") ? (["audit"] as const) : []),
  ];
  const showTabs = can(actor, "users.manage") || can(actor, "apikeys.manage");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {showTabs ? <SettingsTabs show={show} /> : null}
      {children}
    </>
  );
}

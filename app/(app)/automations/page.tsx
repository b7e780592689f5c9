import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/shell/page-header";
import { AutomationsEditor } from "@/components/workbench/automations-editor";
import { ProgramForm } from "@/components/workbench/program-form";
import { VersionNote } from "@/components/workbench/version-note";
import { loadEditor } from "@/lib/workbench/load";
import { automationFiringCounts } from "@/lib/workbench/queries";
import { automationMessageCounts } from "@/lib/messages/stats";
import { MessagingEditor } from "@/components/workbench/messaging-editor";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("automations") };
}

export default async function AutomationsPage() {
  const { db, merchantId, program, readOnly, version, effectiveFrom } = await loadEditor();
  const [t, firings, messages] = await Promise.all([getTranslations("workbench.automations"), automationFiringCounts(db, merchantId), automationMessageCounts(db, merchantId)]);
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription")} actions={<VersionNote version={version} effectiveFrom={effectiveFrom} />} />
      <ProgramForm program={program} version={version} readOnly={readOnly}>
        <MessagingEditor />
        <AutomationsEditor firings={firings} messages={messages} />
      </ProgramForm>
    </>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/shell/page-header";
import { CampaignsEditor } from "@/components/workbench/campaigns-editor";
import { ProgramForm } from "@/components/workbench/program-form";
import { VersionNote } from "@/components/workbench/version-note";
import { loadEditor } from "@/lib/workbench/load";
import { businessDate } from "@/lib/util/dates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("campaigns") };
}

export default async function CampaignsPage() {
  const { program, readOnly, version, effectiveFrom } = await loadEditor();
  const t = await getTranslations("workbench.campaigns");
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription")} actions={<VersionNote version={version} effectiveFrom={effectiveFrom} />} />
      <ProgramForm program={program} version={version} readOnly={readOnly}>
        <CampaignsEditor today={businessDate(new Date(), program.timeZone)} />
      </ProgramForm>
    </>
  );
}

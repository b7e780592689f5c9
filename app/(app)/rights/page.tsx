import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/shell/page-header";
import { ProgramForm } from "@/components/workbench/program-form";
import { RightsEditor } from "@/components/workbench/rights-editor";
import { PlansEditor } from "@/components/membership/plans-editor";
import { VersionNote } from "@/components/workbench/version-note";
import { loadEditor } from "@/lib/workbench/load";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("rights") };
}

export default async function RightsPage() {
  const { program, readOnly, version, effectiveFrom } = await loadEditor();
  const t = await getTranslations("workbench.rights");
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription")} actions={<VersionNote version={version} effectiveFrom={effectiveFrom} />} />
      <ProgramForm program={program} version={version} readOnly={readOnly}>
        <RightsEditor />
        <PlansEditor />
      </ProgramForm>
    </>
  );
}

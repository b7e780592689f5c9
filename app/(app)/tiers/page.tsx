import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/shell/page-header";
import { ProgramForm } from "@/components/workbench/program-form";
import { TiersEditor } from "@/components/workbench/tiers-editor";
import { VersionNote } from "@/components/workbench/version-note";
import { loadEditor } from "@/lib/workbench/load";
import { tierMemberCounts } from "@/lib/workbench/queries";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("tiers") };
}

export default async function TiersPage() {
  const { db, merchantId, program, readOnly, version, effectiveFrom } = await loadEditor();
  const [t, counts] = await Promise.all([getTranslations("workbench.tiers"), tierMemberCounts(db, merchantId)]);
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription")} actions={<VersionNote version={version} effectiveFrom={effectiveFrom} />} />
      <ProgramForm program={program} version={version} readOnly={readOnly}>
        <TiersEditor memberCounts={counts} />
      </ProgramForm>
    </>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/shell/page-header";
import { PointsEditor } from "@/components/workbench/points-editor";
import { ProgramForm } from "@/components/workbench/program-form";
import { VersionNote } from "@/components/workbench/version-note";
import { loadEditor } from "@/lib/workbench/load";
import { businessDate } from "@/lib/util/dates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("points") };
}

export default async function PointsPage() {
  const { program, readOnly, version, effectiveFrom } = await loadEditor();
  const t = await getTranslations("workbench.points");
  // The example's default day: the 18th of this month (the demo's double points day).
  const today = businessDate(new Date(), program.timeZone);
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription")} actions={<VersionNote version={version} effectiveFrom={effectiveFrom} />} />
      <ProgramForm program={program} version={version} readOnly={readOnly}>
        <PointsEditor defaultDate={`${today.slice(0, 8)}18`} />
      </ProgramForm>
    </>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { getMerchant } from "@/lib/tenancy/merchants";
import { loadEditor } from "@/lib/workbench/load";
import { ImportExport } from "@/components/workbench/import-export";
import { ProgramSettingsForm } from "@/components/workbench/program-settings-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("workbench.settings"))("title") };
}

/** Settings → Program: the owner edits time zone, lifecycle and costs; import/export for editors, export for all. */
export default async function ProgramSettingsPage() {
  const { actor, db, program } = await loadEditor();
  const merchant = await getMerchant(db, actor.merchantId);
  return (
    <div className="space-y-6">
      <ProgramSettingsForm initial={{ timeZone: program.timeZone, lifecycle: program.lifecycle, costs: program.costs }} readOnly={!can(actor, "settings.write")} />
      <ImportExport program={program} canImport={can(actor, "program.write")} slug={merchant.slug} />
    </div>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { getMerchant } from "@/lib/tenancy/merchants";
import { loadEditor } from "@/lib/workbench/load";
import { ImportExport } from "@/components/workbench/import-export";
import { ProgramSettingsForm } from "@/components/workbench/program-settings-form";
import { PeriodJobCard } from "@/components/settings/period-job-card";
import { periodJobStatus } from "@/lib/jobs/period-days";
import { timeZoneOptions } from "@/lib/util/time-zones";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("workbench.settings"))("title") };
}

/** Settings → Program: the owner edits time zone, lifecycle and costs; import/export for editors, export for all. */
export default async function ProgramSettingsPage() {
  const { actor, db, program } = await loadEditor();
  const merchant = await getMerchant(db, actor.merchantId);
  const period = can(actor, "settings.write") ? await periodJobStatus(db, actor.merchantId) : null;
  return (
    <div className="space-y-6">
      <ProgramSettingsForm initial={{ timeZone: program.timeZone, lifecycle: program.lifecycle, costs: program.costs }} readOnly={!can(actor, "settings.write")} zones={timeZoneOptions(program.timeZone)} />
      {period?.clock ? (
        <PeriodJobCard
          goLive={period.clock.goLive}
          lastEnded={period.clock.lastEnded}
          timeZone={period.clock.timeZone}
          nextRunAt={period.nextRunAt?.toISOString() ?? null}
          scheduleError={period.scheduleError}
          recent={period.recent.map((d) => ({ ...d, startedAt: d.startedAt.toISOString() }))}
          requested={period.requested}
        />
      ) : null}
      <ImportExport program={program} canImport={can(actor, "program.write")} slug={merchant.slug} />
    </div>
  );
}

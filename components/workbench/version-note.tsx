import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";

/** "Version 3 · in force since …" beside an editor's title. */
export async function VersionNote({ version, effectiveFrom }: { version: number; effectiveFrom: Date }) {
  const t = await getTranslations("workbench.form");
  const format = await getFormatter();
  return (
    <p className="text-sm text-gray-500">
      <span data-testid="program-version">
        {effectiveFrom.getTime() <= 0 ? t("versionInitial", { version }) : t("version", { version, since: format.dateTime(effectiveFrom, { dateStyle: "medium", timeStyle: "short" }) })}
      </span>
      <span aria-hidden="true"> · </span>
      <Link href="/settings/program" className="font-medium text-accent-700 hover:underline">
        {t("importExport")}
      </Link>
    </p>
  );
}

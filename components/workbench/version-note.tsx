import { getFormatter, getTranslations } from "next-intl/server";

/** "Version 3 · in force since …" beside an editor's title. */
export async function VersionNote({ version, effectiveFrom }: { version: number; effectiveFrom: Date }) {
  const t = await getTranslations("workbench.form");
  const format = await getFormatter();
  return (
    <p className="text-sm text-gray-500" data-testid="program-version">
      {t("version", { version, since: format.dateTime(effectiveFrom, { dateStyle: "medium", timeStyle: "short" }) })}
    </p>
  );
}

"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo } from "react";
import { useProgramHead } from "./program-head";

/** "Version 3 · in force since …" beside an editor's title; follows the editor's own saves. */
export function VersionNote({ version, effectiveFrom }: { version: number; effectiveFrom: Date | string }) {
  const t = useTranslations("workbench.form");
  const format = useFormatter();
  const iso = new Date(effectiveFrom).toISOString();
  const rendered = useMemo(() => ({ version, effectiveFrom: iso }), [version, iso]);
  const head = useProgramHead(rendered);
  const since = new Date(head.effectiveFrom);
  return (
    <p className="text-sm text-gray-500">
      <span data-testid="program-version">
        {since.getTime() <= 0
          ? t("versionInitial", { version: head.version })
          : t("version", { version: head.version, since: format.dateTime(since, { dateStyle: "medium", timeStyle: "short" }) })}
      </span>
      <span aria-hidden="true"> · </span>
      <Link href="/settings/program" className="font-medium text-accent-700 hover:underline">
        {t("importExport")}
      </Link>
    </p>
  );
}

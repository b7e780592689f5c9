"use client";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { programInput, type Program } from "@/lib/schemas/program";
import { saveProgramAction } from "@/lib/workbench/actions";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/field";
import { isLocale, defaultLocale } from "@/i18n/config";
import { issueText } from "@/i18n/issues";
import { programFieldLabel } from "@/i18n/program-labels";

/**
 * Export the whole program as JSON (the format of GET /api/v1/program) and import it back: the file
 * is validated in full first and every problem listed; nothing changes unless all of it is valid.
 */
export function ImportExport({ program, canImport, slug }: { program: Program; canImport: boolean; slug: string }) {
  const t = useTranslations("workbench.importExport");
  const current = useLocale();
  const locale = isLocale(current) ? current : defaultLocale;
  const router = useRouter();
  const file = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);
  const [done, setDone] = useState<{ version: number; unchanged: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const download = () => {
    const blob = new Blob([JSON.stringify(program, null, 2)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `program-${slug}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  const importText = async (text: string) => {
    setProblems([]);
    setDone(null);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      setProblems([{ path: "", message: t("notJson", { message: (e as Error).message }) }]);
      return;
    }
    const parsed = programInput.safeParse(data);
    if (!parsed.success) {
      // Each problem by the field's label in the file's own names ("金卡 · 门槛"), and why, in the user's language.
      setProblems(parsed.error.issues.map((i) => ({ path: programFieldLabel(i.path, data, locale), message: issueText(i, locale) })));
      return;
    }
    setBusy(true);
    const r = await saveProgramAction({ program: parsed.data, tierMoves: [] });
    setBusy(false);
    if (!r.ok) {
      const list = Object.entries(r.error.fieldErrors).map(([path, message]) => ({ path: programFieldLabel(path.replace(/^program\./, ""), data, locale), message }));
      setProblems(list.length ? list : [{ path: "", message: r.error.message }]);
      return;
    }
    setDone({ version: r.data.version, unchanged: r.data.unchanged });
    router.refresh();
  };

  return (
    <Card aria-labelledby="import-export-heading">
      <CardHeader id="import-export-heading" title={t("title")} description={t("description")} />
      <div className="space-y-4 px-5 py-4">
        <div className="flex flex-wrap gap-3">
          <Button variant="secondary" onClick={download} data-testid="export-program">
            {t("export")}
          </Button>
          {canImport ? (
            <>
              <input
                ref={file}
                type="file"
                accept="application/json,.json"
                className="sr-only"
                id="import-file"
                data-testid="import-file"
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  if (f) await importText(await f.text());
                  e.target.value = "";
                }}
              />
              <Button onClick={() => file.current?.click()} disabled={busy} data-testid="import-program">
                {busy ? t("importing") : t("import")}
              </Button>
            </>
          ) : (
            <p className="self-center text-sm text-gray-500">{t("readOnly")}</p>
          )}
        </div>
        {problems.length ? (
          <FormAlert>
            <p className="font-medium">{t("problems", { count: problems.length })}</p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5" data-testid="import-problems">
              {problems.map((p, i) => (
                <li key={i}>
                  {p.path ? <span className="mr-1 font-medium">{p.path}{t("labelSeparator")}</span> : null}
                  {p.message}
                </li>
              ))}
            </ul>
          </FormAlert>
        ) : null}
        {done !== null ? (
          <p role="status" className="text-sm text-emerald-700" data-testid="import-done">
            {done.unchanged ? t("unchanged") : t("imported", { version: done.version })}
          </p>
        ) : null}
      </div>
    </Card>
  );
}

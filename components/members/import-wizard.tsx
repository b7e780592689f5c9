"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { ImportJobView } from "@/lib/members/import-csv";
import { importFields, type ImportKind } from "@/lib/schemas/members";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, Select } from "@/components/ui/field";

interface Preview {
  encoding: string;
  headers: string[];
  total: number;
  preview: Record<string, string>[];
  mapping: Record<string, string>;
}

async function postForm<T>(url: string, body: FormData): Promise<T> {
  const res = await fetch(url, { method: "POST", body });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(json.error?.message ?? res.statusText);
  return json;
}

/** Upload → column mapping with a preview → background run with a progress bar → report of rejected rows. */
export function ImportWizard({ recent }: { recent: ImportJobView[] }) {
  const t = useTranslations("memberImport");
  const [kind, setKind] = useState<ImportKind>("orders");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = [...importFields[kind].required, ...importFields[kind].optional];

  async function upload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setBusy(true);
    try {
      const body = new FormData();
      body.set("file", file);
      body.set("kind", kind);
      const p = await postForm<Preview>("/api/members/imports/preview", body);
      setPreview(p);
      setMapping(p.mapping);
      setJobId(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function start() {
    if (!file) return;
    setError(null);
    setBusy(true);
    try {
      const body = new FormData();
      body.set("file", file);
      body.set("kind", kind);
      body.set("mapping", JSON.stringify(mapping));
      const job = await postForm<ImportJobView>("/api/members/imports", body);
      setJobId(job.id);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const missing = importFields[kind].required.filter((f) => !mapping[f]);
  return (
    <div className="space-y-6">
      <Card aria-labelledby="upload-heading">
        <CardHeader id="upload-heading" title={t("upload.heading")} description={t("upload.description")} />
        <form onSubmit={upload} className="flex flex-wrap items-end gap-4 px-5 py-4" data-testid="import-upload">
          <Field id="import-kind" label={t("upload.kind")}>
            <Select
              id="import-kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as ImportKind);
                setPreview(null);
              }}
              className="w-40"
            >
              <option value="orders">{t("kinds.orders")}</option>
              <option value="members">{t("kinds.members")}</option>
            </Select>
          </Field>
          <Field id="import-file" label={t("upload.file")}>
            <input
              id="import-file"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setPreview(null);
              }}
              className="block text-sm text-gray-700 file:mr-3 file:rounded-md file:border-0 file:bg-gray-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-gray-200"
            />
          </Field>
          <Button type="submit" variant="secondary" disabled={!file || busy}>
            {t("upload.submit")}
          </Button>
          <p className="basis-full text-xs text-gray-500">{t(`upload.columns.${kind}`)}</p>
        </form>
        {error ? (
          <div className="px-5 pb-4">
            <FormAlert>{error}</FormAlert>
          </div>
        ) : null}
      </Card>

      {preview ? (
        <Card aria-labelledby="mapping-heading">
          <CardHeader
            id="mapping-heading"
            title={t("mapping.heading")}
            description={t("mapping.description", { total: preview.total, encoding: preview.encoding.toUpperCase() })}
          />
          <div className="grid gap-4 px-5 py-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="import-mapping">
            {fields.map((f) => (
              <Field key={f} id={`map-${f}`} label={`${t(`fields.${f}`)}${(importFields[kind].required as readonly string[]).includes(f) ? " *" : ""}`}>
                <Select id={`map-${f}`} value={mapping[f] ?? ""} onChange={(e) => setMapping({ ...mapping, [f]: e.target.value })}>
                  <option value="">{t("mapping.none")}</option>
                  {preview.headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </Select>
              </Field>
            ))}
          </div>
          <div className="overflow-x-auto border-t border-gray-100">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("mapping.preview")}</caption>
              <thead className="bg-gray-50/60 text-xs text-gray-500">
                <tr>
                  {fields
                    .filter((f) => mapping[f])
                    .map((f) => (
                      <th key={f} scope="col" className="px-4 py-2 font-medium first:pl-5">
                        {t(`fields.${f}`)}
                      </th>
                    ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {preview.preview.map((row, i) => (
                  <tr key={i}>
                    {fields
                      .filter((f) => mapping[f])
                      .map((f) => (
                        <td key={f} className="px-4 py-2 text-gray-700 first:pl-5">
                          {row[mapping[f]]}
                        </td>
                      ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="flex items-center justify-between gap-3 border-t border-gray-100 px-5 py-3">
            <p className="text-sm text-gray-500">{missing.length ? t("mapping.missing", { fields: missing.map((f) => t(`fields.${f}`)).join("、") }) : t("mapping.ready", { total: preview.total })}</p>
            <Button onClick={start} disabled={busy || missing.length > 0 || !!jobId}>
              {t("mapping.start")}
            </Button>
          </div>
        </Card>
      ) : null}

      {jobId ? <JobProgress id={jobId} /> : null}

      {recent.length ? (
        <Card aria-labelledby="recent-heading">
          <CardHeader id="recent-heading" title={t("recent.heading")} />
          <ul className="divide-y divide-gray-100 text-sm">
            {recent.map((j) => (
              <li key={j.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-2.5">
                <span className="min-w-0 truncate">
                  <span className="font-medium text-gray-900">{j.fileName}</span> <span className="text-gray-500">· {t(`kinds.${j.kind}`)}</span>
                </span>
                <span className="text-gray-600">{t("result.summary", { applied: j.applied, duplicates: j.duplicates, rejected: j.rejected })}</span>
                {j.rejected > 0 ? (
                  <a href={`/api/members/imports/${j.id}/report`} className="text-accent-700 hover:underline" download>
                    {t("result.report")}
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}

function JobProgress({ id }: { id: string }) {
  const t = useTranslations("memberImport");
  const { data: job } = useQuery({
    queryKey: ["import-job", id],
    queryFn: async () => {
      const res = await fetch(`/api/members/imports/${id}`, { cache: "no-store" });
      if (!res.ok) throw new Error(res.statusText);
      return (await res.json()) as ImportJobView;
    },
    refetchInterval: (q) => (q.state.data && ["done", "failed"].includes(q.state.data.status) ? false : 500),
    staleTime: 0,
  });
  if (!job) return null;
  const pct = job.total ? Math.round((job.processed / job.total) * 100) : 100;
  const finished = job.status === "done" || job.status === "failed";
  return (
    <Card aria-labelledby="progress-heading" data-testid="import-progress">
      <CardHeader id="progress-heading" title={t("progress.heading")} actions={<Badge tone={job.status === "done" ? "green" : job.status === "failed" ? "red" : "accent"}>{t(`status.${job.status}`)}</Badge>} />
      <div className="space-y-3 px-5 py-4">
        <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={t("progress.heading")} className="h-2.5 overflow-hidden rounded-full bg-gray-100">
          <div className="h-full rounded-full bg-accent-600 transition-all" style={{ width: `${pct}%` }} />
        </div>
        <p className="text-sm text-gray-600">{t("progress.rows", { processed: job.processed, total: job.total })}</p>
        {finished ? (
          <div className="flex flex-wrap items-center gap-4 text-sm" data-testid="import-result">
            <span>
              {t("result.summary", { applied: job.applied, duplicates: job.duplicates, rejected: job.rejected })}
            </span>
            {job.rejected > 0 ? (
              <a href={`/api/members/imports/${job.id}/report`} className="font-medium text-accent-700 hover:underline" download data-testid="import-report">
                {t("result.report")}
              </a>
            ) : null}
            {job.error ? <span className="text-red-600">{job.error}</span> : null}
          </div>
        ) : null}
      </div>
    </Card>
  );
}

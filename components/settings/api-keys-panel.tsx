"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { apiKeyInput } from "@/lib/schemas/api-keys";
import { createApiKeyAction } from "@/lib/actions/create-api-key";
import { revokeApiKeyAction } from "@/lib/actions/revoke-api-key";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, FormAlert, Input, describedBy } from "@/components/ui/field";
import { icons } from "@/components/ui/icons";
import { applyActionError, useFieldError } from "@/components/forms/use-field-error";
import { useHydrated } from "@/components/forms/use-hydrated";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export function ApiKeysPanel({ keys }: { keys: ApiKeyRow[] }) {
  const t = useTranslations("apiKeys");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const date = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });

  function confirmRevoke() {
    const key = revoking;
    if (!key) return;
    startTransition(async () => {
      const result = await revokeApiKeyAction({ keyId: key.id });
      setRevoking(null);
      setStatus(result.ok ? { tone: "ok", text: t("revoked", { name: key.name }) } : { tone: "error", text: result.error.message });
    });
  }

  return (
    <>
      <div className="border-b border-gray-100 px-5 py-4">
        {created ? <CreatedKey name={created.name} apiKey={created.key} onDone={() => setCreated(null)} /> : <CreateKeyForm onCreated={setCreated} />}
      </div>

      {keys.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-gray-500">{t("empty")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("table.caption")}</caption>
            <thead className="border-b border-gray-100 bg-gray-50/60 text-xs font-medium tracking-wide text-gray-500 uppercase">
              <tr>
                <th scope="col" className="px-5 py-2.5 font-medium">{t("table.name")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.prefix")}</th>
                <th scope="col" className="hidden px-3 py-2.5 font-medium md:table-cell">{t("table.createdAt")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.lastUsedAt")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.status")}</th>
                <th scope="col" className="px-5 py-2.5 text-right font-medium">{t("table.actions")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {keys.map((key) => (
                <tr key={key.id} data-testid={`api-key-row-${key.name}`} className={key.revokedAt ? "text-gray-400" : undefined}>
                  <td className="px-5 py-3 font-medium text-gray-900">{key.name}</td>
                  <td className="px-3 py-3">
                    <code className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs text-gray-700">{key.prefix}…</code>
                  </td>
                  <td className="hidden px-3 py-3 whitespace-nowrap text-gray-500 md:table-cell">{date(key.createdAt)}</td>
                  <td className="px-3 py-3 whitespace-nowrap text-gray-500">{key.lastUsedAt ? date(key.lastUsedAt) : tCommon("never")}</td>
                  <td className="px-3 py-3">
                    {key.revokedAt ? <Badge tone="gray">{t("status.revoked", { date: date(key.revokedAt) })}</Badge> : <Badge tone="green">{t("status.active")}</Badge>}
                  </td>
                  <td className="px-5 py-3 text-right">
                    {key.revokedAt ? null : (
                      <Button variant="secondary" size="sm" className="text-red-700" onClick={() => setRevoking(key)} aria-label={t("revokeLabel", { name: key.name })}>
                        {t("revoke")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" className={status?.tone === "error" ? "px-5 py-3 text-sm text-red-600" : "px-5 py-3 text-sm text-emerald-700 empty:hidden"}>
        {status?.text}
      </p>

      <ConfirmDialog
        open={!!revoking}
        title={t("revokeConfirm.title", { name: revoking?.name ?? "" })}
        body={t("revokeConfirm.body")}
        confirmLabel={pending ? t("revokeConfirm.pending") : t("revokeConfirm.confirm")}
        cancelLabel={tCommon("cancel")}
        pending={pending}
        onConfirm={confirmRevoke}
        onClose={() => setRevoking(null)}
      />
    </>
  );
}

type Values = z.input<typeof apiKeyInput>;

function CreateKeyForm({ onCreated }: { onCreated: (created: { name: string; key: string }) => void }) {
  const t = useTranslations("apiKeys.create");
  const errorText = useFieldError();
  const hydrated = useHydrated();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values, unknown, z.output<typeof apiKeyInput>>({ resolver: zodResolver(apiKeyInput), defaultValues: { name: "" } });
  const nameError = errorText("name", errors.name);

  const onSubmit = handleSubmit(async (values) => {
    const result = await createApiKeyAction(values);
    if (!result.ok) {
      if (!applyActionError(result.error, ["name"], setError)) setError("root", { type: "server", message: result.error.message });
      return;
    }
    onCreated({ name: result.data.name, key: result.data.key });
  });

  return (
    <form method="post" onSubmit={onSubmit} noValidate aria-labelledby="create-key-heading" data-testid="create-api-key-form" className="space-y-3">
      <div>
        <h3 id="create-key-heading" className="text-sm font-semibold text-gray-900">
          {t("heading")}
        </h3>
        <p className="text-sm text-gray-500">{t("description")}</p>
      </div>
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <div className="flex flex-wrap items-start gap-3">
        <div className="w-full max-w-sm">
          <Field id="new-key-name" label={t("name")} error={nameError}>
            <Input id="new-key-name" autoComplete="off" placeholder={t("namePlaceholder")} invalid={!!errors.name} aria-describedby={describedBy("new-key-name", nameError)} {...register("name")} />
          </Field>
        </div>
        <Button type="submit" className="mt-7" disabled={isSubmitting || !hydrated}>
          <icons.key className="size-4" />
          {isSubmitting ? t("submitting") : t("submit")}
        </Button>
      </div>
    </form>
  );
}

/** The one time the full key is visible: copy it, then dismiss; it is not kept anywhere in the browser. */
function CreatedKey({ name, apiKey, onDone }: { name: string; apiKey: string; onDone: () => void }) {
  const t = useTranslations("apiKeys.created");
  const tCommon = useTranslations("common");
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(apiKey);
      setCopied(true);
    } catch {
      // Clipboard refused (insecure context): select the text so Ctrl+C works.
      const el = document.getElementById("created-api-key") as HTMLInputElement | null;
      el?.select();
    }
  }

  return (
    <section aria-labelledby="created-key-title" data-testid="created-api-key" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
      <h3 id="created-key-title" className="flex items-center gap-2 text-sm font-semibold text-amber-900">
        <icons.check className="size-4" />
        {t("title", { name })}
      </h3>
      <p role="alert" className="mt-1 flex items-start gap-2 text-sm text-amber-800">
        <icons.warning className="mt-0.5 size-4 shrink-0" />
        {t("warning")}
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor="created-api-key" className="sr-only">
          {t("label")}
        </label>
        <input
          id="created-api-key"
          readOnly
          value={apiKey}
          onFocus={(e) => e.currentTarget.select()}
          className="h-9 min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-3 font-mono text-sm text-gray-900"
        />
        <Button variant="secondary" onClick={copy}>
          <icons.copy className="size-4" />
          {copied ? tCommon("copied") : tCommon("copy")}
        </Button>
        <Button onClick={onDone}>{t("done")}</Button>
      </div>
    </section>
  );
}

"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { webhookEventTypes } from "@/lib/schemas/webhooks";
import { createWebhookAction } from "@/lib/actions/create-webhook";
import { deleteWebhookAction } from "@/lib/actions/delete-webhook";
import { setWebhookEnabledAction } from "@/lib/actions/set-webhook-enabled";
import { pingWebhookAction } from "@/lib/actions/ping-webhook";
import { resendDeliveryAction } from "@/lib/actions/resend-delivery";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, FormAlert, Input, describedBy } from "@/components/ui/field";

export interface EndpointRow {
  id: string;
  url: string;
  types: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
  disabledReason: string | null;
}

export interface DeliveryRow {
  id: string;
  type: string;
  state: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatus: number | null;
  lastResponse: string | null;
  lastDurationMs: number | null;
  lastAttemptAt: string | null;
  createdAt: string;
}

/** Settings → webhooks (owners): endpoints with a test ping, pause and removal; the selected one's delivery log with re-send. */
export function WebhooksPanel({ endpoints, selected, deliveries }: { endpoints: EndpointRow[]; selected: string | null; deliveries: DeliveryRow[] }) {
  const t = useTranslations("background.webhooks");
  const format = useFormatter();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [removing, setRemoving] = useState<EndpointRow | null>(null);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const date = (d: string) => format.dateTime(new Date(d), { dateStyle: "medium", timeStyle: "medium" });

  const act = (f: () => Promise<{ ok: boolean; error?: { message: string } }>, ok: string) =>
    startTransition(async () => {
      const r = await f();
      setStatus(r.ok ? { tone: "ok", text: ok } : { tone: "error", text: r.error?.message ?? "" });
      router.refresh();
    });

  const autoDisabled = endpoints.filter((e) => !e.enabled && e.disabledReason);
  return (
    <>
      {autoDisabled.length ? (
        <div role="alert" className="border-b border-amber-200 bg-amber-50 px-5 py-3 text-sm text-amber-900" data-testid="webhook-disabled-banner">
          {autoDisabled.map((e) => (
            <p key={e.id}>{t("autoDisabled", { url: e.url })}</p>
          ))}
        </div>
      ) : null}
      <div className="border-b border-gray-100 px-5 py-4">
        {created ? (
          <div className="space-y-2" data-testid="webhook-secret">
            <p className="text-sm text-gray-700">{t("secretOnce", { url: created.url })}</p>
            <code className="block rounded bg-gray-100 px-3 py-2 font-mono text-sm break-all">{created.secret}</code>
            <Button variant="secondary" size="sm" onClick={() => setCreated(null)}>
              {t("secretDone")}
            </Button>
          </div>
        ) : (
          <CreateEndpointForm onCreated={(c) => (setCreated(c), router.refresh())} />
        )}
      </div>
      {endpoints.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-gray-500">{t("empty")}</p>
      ) : (
        <ul className="divide-y divide-gray-100">
          {endpoints.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3" data-testid="webhook-endpoint">
              <div className="min-w-0">
                <p className="font-mono text-sm break-all text-gray-900">{e.url}</p>
                <p className="text-xs text-gray-500">
                  {e.types.join(", ")}
                  {e.description ? ` · ${e.description}` : ""}
                </p>
              </div>
              <div className="flex flex-wrap items-center gap-2">
                {e.enabled ? <Badge tone="green">{t("enabled")}</Badge> : <Badge tone="gray">{t("disabled")}</Badge>}
                <Link href={`/settings/webhooks?endpoint=${encodeURIComponent(e.id)}`} aria-current={selected === e.id ? "true" : undefined} className="text-sm text-accent-700 hover:underline">
                  {t("log")}
                </Link>
                <Button variant="secondary" size="sm" disabled={pending} onClick={() => act(() => pingWebhookAction({ id: e.id }), t("pinged"))}>
                  {t("ping")}
                </Button>
                <Button variant="secondary" size="sm" disabled={pending} onClick={() => act(() => setWebhookEnabledAction({ id: e.id, enabled: !e.enabled }), e.enabled ? t("wasDisabled") : t("wasEnabled"))}>
                  {e.enabled ? t("disable") : t("enable")}
                </Button>
                <Button variant="secondary" size="sm" className="text-red-700" disabled={pending} onClick={() => setRemoving(e)}>
                  {t("remove")}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p role="status" className={status?.tone === "error" ? "px-5 py-3 text-sm text-red-600" : "px-5 py-3 text-sm text-emerald-700 empty:hidden"}>
        {status?.text}
      </p>
      {selected ? (
        <div className="border-t border-gray-100">
          <div className="flex items-center justify-between px-5 pt-4">
            <h3 className="text-sm font-semibold text-gray-900">{t("logTitle")}</h3>
            <Button variant="secondary" size="sm" onClick={() => router.refresh()}>
              {t("refresh")}
            </Button>
          </div>
          {deliveries.length === 0 ? (
            <p className="px-5 py-6 text-sm text-gray-500">{t("logEmpty")}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="mt-2 w-full text-left text-sm" data-testid="webhook-deliveries">
                <thead className="border-b border-gray-100 text-gray-500">
                  <tr>
                    <th scope="col" className="px-5 py-2 font-medium">{t("time")}</th>
                    <th scope="col" className="px-3 py-2 font-medium">{t("type")}</th>
                    <th scope="col" className="px-3 py-2 font-medium">{t("state")}</th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">{t("attempts")}</th>
                    <th scope="col" className="px-3 py-2 font-medium">{t("answer")}</th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">{t("duration")}</th>
                    <th scope="col" className="px-5 py-2 text-right font-medium" />
                  </tr>
                </thead>
                <tbody className="divide-y divide-gray-100">
                  {deliveries.map((d) => (
                    <tr key={d.id} className="align-top">
                      <td className="px-5 py-2 whitespace-nowrap">{date(d.lastAttemptAt ?? d.createdAt)}</td>
                      <td className="px-3 py-2 font-mono text-xs">{d.type}</td>
                      <td className="px-3 py-2">
                        <Badge tone={d.state === "delivered" ? "green" : d.state === "failed" ? "red" : "amber"}>{t(`states.${d.state}`)}</Badge>
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">{d.attempts}</td>
                      <td className="px-3 py-2">
                        <span className="tabular-nums">{d.lastStatus ?? "—"}</span> <span className="text-xs break-all text-gray-500">{d.lastResponse?.slice(0, 120)}</span>
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">{d.lastDurationMs === null ? "—" : t("ms", { ms: d.lastDurationMs })}</td>
                      <td className="px-5 py-2 text-right">
                        <Button variant="secondary" size="sm" disabled={pending} onClick={() => act(() => resendDeliveryAction({ id: d.id }), t("resent"))}>
                          {t("resend")}
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ) : null}
      <ConfirmDialog
        open={!!removing}
        title={t("removeTitle", { url: removing?.url ?? "" })}
        body={t("removeBody")}
        confirmLabel={t("remove")}
        cancelLabel={t("cancel")}
        pending={pending}
        onConfirm={() => {
          const e = removing;
          setRemoving(null);
          if (e) act(() => deleteWebhookAction({ id: e.id }), t("removed"));
        }}
        onClose={() => setRemoving(null)}
      />
    </>
  );
}

function CreateEndpointForm({ onCreated }: { onCreated: (c: { url: string; secret: string }) => void }) {
  const t = useTranslations("background.webhooks");
  const te = useTranslations("webhookEvents");
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [types, setTypes] = useState<string[]>(["message.queued"]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitting(true);
    const r = await createWebhookAction({ url, types: types as never, description: description || undefined });
    setSubmitting(false);
    if (!r.ok) return setErrors(Object.keys(r.error.fieldErrors).length ? r.error.fieldErrors : { root: r.error.message });
    setErrors({});
    setUrl("");
    setDescription("");
    onCreated({ url: r.data.url, secret: r.data.secret });
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid="create-webhook-form">
      <h3 className="text-sm font-semibold text-gray-900">{t("addTitle")}</h3>
      {errors.root ? <FormAlert>{errors.root}</FormAlert> : null}
      <div className="grid gap-3 md:grid-cols-2">
        <Field id="webhook-url" label={t("url")} hint={t("urlHint")} error={errors.url}>
          <Input id="webhook-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://shop.example.com/webhooks" invalid={!!errors.url} aria-describedby={describedBy("webhook-url", errors.url, true)} />
        </Field>
        <Field id="webhook-description" label={t("description")} error={errors.description}>
          <Input id="webhook-description" value={description} onChange={(e) => setDescription(e.target.value)} invalid={!!errors.description} />
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">{t("types")}</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {webhookEventTypes.map((type) => (
            <label key={type} className="flex items-center gap-1.5 text-xs text-gray-700">
              <input type="checkbox" checked={types.includes(type)} onChange={(e) => setTypes(e.target.checked ? [...types, type] : types.filter((x) => x !== type))} />
              {te(type.replace(".", "_") as never)} <span className="font-mono text-gray-500">{type}</span>
            </label>
          ))}
        </div>
        {errors.types ? <p className="mt-1 text-sm text-red-600">{errors.types}</p> : <p className="mt-1 text-xs text-gray-500">{t("typesHint")} {te("docsHint")}</p>}
      </fieldset>
      <Button type="submit" disabled={submitting}>
        {t("add")}
      </Button>
    </form>
  );
}

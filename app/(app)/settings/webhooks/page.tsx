import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { Card, CardHeader } from "@/components/ui/card";
import { WebhooksPanel } from "@/components/settings/webhooks-panel";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("background.webhooks"))("title") };
}

/** Settings → webhooks (owners): endpoints, test pings, and the selected endpoint's delivery log with re-send. */
export default async function SettingsWebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "webhooks.manage")) return <ForbiddenPanel actor={actor} />;
  const [endpoints, t] = await Promise.all([listWebhookEndpoints(db, actor.merchantId), getTranslations("background.webhooks")]);
  const wanted = (await searchParams).endpoint;
  const selected = endpoints.find((e) => e.id === wanted)?.id ?? endpoints[0]?.id ?? null;
  const deliveries = selected ? await listDeliveries(db, actor.merchantId, selected) : [];
  return (
    <Card aria-labelledby="webhooks-heading">
      <CardHeader id="webhooks-heading" title={t("title")} description={t("pageDescription")} />
      <WebhooksPanel
        endpoints={endpoints}
        selected={selected}
        deliveries={deliveries.map((d) => ({
          id: d.id,
          type: d.type,
          state: d.state,
          attempts: d.attempts,
          lastStatus: d.lastStatus,
          lastResponse: d.lastResponse,
          lastDurationMs: d.lastDurationMs,
          lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
          createdAt: d.createdAt.toISOString(),
        }))}
      />
    </Card>
  );
}

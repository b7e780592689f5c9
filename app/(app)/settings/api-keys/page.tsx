import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { listApiKeys } from "@/lib/tenancy/api-keys";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { Card, CardHeader } from "@/components/ui/card";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("apiKeys"))("heading") };
}

/** Settings → API keys: owners only; everyone else gets the no-permission panel and no form. */
export default async function SettingsApiKeysPage() {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "apikeys.manage")) return <ForbiddenPanel actor={actor} />;
  const [keys, t] = await Promise.all([listApiKeys(db, actor.merchantId), getTranslations("apiKeys")]);

  return (
    <Card aria-labelledby="api-keys-heading">
      <CardHeader id="api-keys-heading" title={t("heading")} description={t("description")} />
      <ApiKeysPanel keys={keys} />
    </Card>
  );
}

import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { currentActor } from "@/lib/auth/guard";
import { can } from "@/lib/auth/actor";
import { dashboardContext } from "@/lib/dashboards/context";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { PageHeader } from "@/components/shell/page-header";
import { Dashboard } from "@/components/charts/dashboard";
import { isDashboardGroup } from "@/components/charts/groups";

type Props = { params: Promise<{ group: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { group } = await params;
  if (!isDashboardGroup(group)) return {};
  return { title: (await getTranslations("dashboards.nav"))(group) };
}

/** /dashboards/tiers | rights | revenue | lifecycle | points: the charts of one metric group. */
export default async function DashboardGroupPage({ params }: Props) {
  const { group } = await params;
  if (!isDashboardGroup(group)) notFound();
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "metrics.read")) return <ForbiddenPanel actor={actor} />;
  const [ctx, t] = await Promise.all([dashboardContext(db, actor.merchantId, await getLocale()), getTranslations("dashboards")]);
  return (
    <>
      <PageHeader title={t(`groups.${group}.title`)} description={t(`groups.${group}.description`)} />
      <Suspense>
        <Dashboard view={group} {...ctx} />
      </Suspense>
    </>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { currentActor } from "@/lib/auth/guard";
import { can } from "@/lib/auth/actor";
import { dashboardContext } from "@/lib/dashboards/context";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { PageHeader } from "@/components/shell/page-header";
import { Dashboard } from "@/components/charts/dashboard";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("dashboard") };
}

/** The overview: KPI cards with their change vs the previous period, and the key charts. */
export default async function DashboardPage() {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "metrics.read")) return <ForbiddenPanel actor={actor} />;
  const [ctx, t] = await Promise.all([dashboardContext(db, actor.merchantId, await getLocale()), getTranslations("dashboards")]);
  return (
    <>
      <PageHeader title={t("overview.title")} description={t("overview.description")} />
      <Suspense>
        <Dashboard view="overview" {...ctx} />
      </Suspense>
    </>
  );
}

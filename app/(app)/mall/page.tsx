import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { currentProgram } from "@/lib/program/store";
import { itemAnswer, listItemRows } from "@/lib/mall/items";
import { PageHeader } from "@/components/shell/page-header";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { Card } from "@/components/ui/card";
import { buttonClasses } from "@/components/ui/button";
import { localName } from "@/components/members/format";
import { MallCatalogue } from "@/components/mall/mall-catalogue";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("mall"))("heading") };
}

/** The points mall's catalogue: operators edit (audited), analysts read. */
export default async function MallPage() {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "program.read")) return <ForbiddenPanel actor={actor} />;
  const [rows, program, t, locale] = await Promise.all([listItemRows(db, actor.merchantId), currentProgram(db, actor.merchantId), getTranslations("mall"), getLocale()]);
  return (
    <>
      <PageHeader
        title={t("heading")}
        description={t("description")}
        actions={
          <Link href="/mall/orders" className={buttonClasses("secondary")}>
            {t("ordersLink")}
          </Link>
        }
      />
      <Card aria-label={t("heading")}>
        <MallCatalogue
          items={rows.map(itemAnswer)}
          canWrite={can(actor, "mall.write")}
          rights={program.rights.map((r) => ({ code: r.code, label: localName(r.name, locale) }))}
          tiers={program.tiers.map((x) => ({ code: x.code, label: localName(x.name, locale) }))}
        />
      </Card>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { listImportJobs } from "@/lib/members/import-csv";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { PageHeader } from "@/components/shell/page-header";
import { ImportWizard } from "@/components/members/import-wizard";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("memberImport"))("heading") };
}

/** CSV import of members or orders: upload, map columns, watch progress, download the rejected rows. */
export default async function MemberImportPage() {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "members.write")) return <ForbiddenPanel actor={actor} />;
  const [t, tm, recent] = await Promise.all([getTranslations("memberImport"), getTranslations("members"), listImportJobs(db, actor.merchantId)]);
  return (
    <>
      <Link href="/members" className="text-sm text-gray-500 hover:text-gray-800">
        ← {tm("heading")}
      </Link>
      <div className="mt-2">
        <PageHeader title={t("heading")} description={t("description")} />
      </div>
      <ImportWizard recent={recent} />
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { can, seesFullPhone } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { currentProgram } from "@/lib/program/store";
import { listMembers } from "@/lib/members/list-members";
import { countMembers } from "@/lib/members/count-members";
import { parseMemberListQueryLeniently } from "@/lib/schemas/members";
import { PageHeader } from "@/components/shell/page-header";
import { Card } from "@/components/ui/card";
import { buttonClasses } from "@/components/ui/button";
import { MembersFilters } from "@/components/members/members-filters";
import { MembersTable } from "@/components/members/members-table";
import { formatListRange, localName } from "@/components/members/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("members") };
}

/** Members: the filter lives in the URL, so a dashboard drill-down or a shared link opens this exact view. */
export default async function MembersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, db } = await currentActor();
  if (!actor) redirect("/sign-in");
  const [raw, t, tt, locale, program] = await Promise.all([searchParams, getTranslations("members"), getTranslations("memberTotal"), getLocale(), currentProgram(db, actor.merchantId)]);
  const { filter, ignored } = parseMemberListQueryLeniently(raw);
  const [page, counted] = await Promise.all([
    listMembers(db, actor.merchantId, filter, { timeZone: program.timeZone, fullPhone: seesFullPhone(actor) }),
    countMembers(db, actor.merchantId, filter, { timeZone: program.timeZone }),
  ]);
  // The position of the page's first row: keyset pages have no offset, so the next link carries it.
  const start = filter.cursor && typeof raw.start === "string" && /^\d{1,9}$/.test(raw.start) ? Math.max(1, Number(raw.start)) : 1;
  // A first page without a next one holds the whole result; an estimate is never below what is shown.
  const total = !filter.cursor && !page.nextCursor ? { count: page.rows.length, exact: true } : { ...counted, count: Math.max(counted.count, start + page.rows.length - (page.nextCursor ? 0 : 1)) };
  const tiers = Object.fromEntries(program.tiers.map((x) => [x.code, { label: localName(x.name, locale), color: x.color }]));

  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" && k !== "cursor" && k !== "start" && !ignored.includes(k)) query.set(k, v);
  const nextHref = page.nextCursor ? `/members?${new URLSearchParams([...query, ["cursor", page.nextCursor], ["start", String(start + page.rows.length)]]).toString()}` : null;
  const exportQuery = new URLSearchParams([...query].filter(([k]) => k !== "hide"));
  const filtered = [...query.keys()].some((k) => !["sort", "dir", "hide"].includes(k));

  return (
    <>
      <PageHeader
        title={t("heading")}
        description={t("description")}
        actions={
          <div className="flex gap-2">
            <a href={`/api/members/export?${exportQuery.toString()}`} className={buttonClasses("secondary")} download>
              {t("export")}
            </a>
            <a href={`/api/members/export?${new URLSearchParams([...exportQuery, ["format", "xlsx"]]).toString()}`} className={buttonClasses("secondary")} download data-testid="members-export-xlsx">
              {(await getTranslations("exports"))("xlsx")}
            </a>
            {can(actor, "members.write") ? (
              <Link href="/members/import" className={buttonClasses("primary")}>
                {t("import")}
              </Link>
            ) : null}
          </div>
        }
      />
      {ignored.length ? (
        <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-800" data-testid="members-ignored">
          {t("ignored", { fields: ignored.join(", ") })}
        </p>
      ) : null}
      <Card aria-label={t("heading")}>
        <MembersFilters
          tiers={program.tiers.map((x) => ({ code: x.code, label: localName(x.name, locale) }))}
          plans={program.plans.map((x) => ({ code: x.code, label: locale === "en" ? x.nameEn : x.name }))}
        />
        {page.rows.length ? (
          <MembersTable rows={page.rows} tiers={tiers} timeZone={program.timeZone} sort={filter.sort} dir={filter.dir} />
        ) : (
          <div className="border-t border-gray-100 px-5 py-16 text-center" data-testid="members-empty">
            <p className="text-sm font-medium text-gray-900">{filtered || filter.cursor ? t("empty.noMatch") : t("empty.none")}</p>
            <p className="mt-1 text-sm text-gray-500">{filtered || filter.cursor ? t("empty.noMatchHint") : t("empty.noneHint")}</p>
          </div>
        )}
        <nav aria-label={t("pagination.label")} className="flex items-center justify-between border-t border-gray-100 px-5 py-3 text-sm">
          <span className="text-gray-500 tabular-nums" data-testid="members-total" data-exact={total.exact} title={total.exact ? undefined : tt("estimated")}>
            {tt("label", { range: formatListRange(start, page.rows.length, total, locale, tt("about")) })}
          </span>
          <div className="flex gap-2">
            {filter.cursor ? (
              <Link href={`/members?${query.toString()}`} className={buttonClasses("secondary", "sm")}>
                {t("pagination.first")}
              </Link>
            ) : null}
            {nextHref ? (
              <Link href={nextHref} className={buttonClasses("secondary", "sm")}>
                {t("pagination.next")}
              </Link>
            ) : null}
          </div>
        </nav>
      </Card>
    </>
  );
}

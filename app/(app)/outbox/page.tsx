import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentProgram } from "@/lib/program/store";
import { formatDateTime } from "@/components/members/format";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { listOutbox } from "@/lib/outbox/read-outbox";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("background.outbox"))("title") };
}

/** The outbox: every message the automations queued for the shop to send, newest first, with its template and payload. */
export default async function OutboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "outbox.read")) return <ForbiddenPanel actor={actor} />;
  const raw = (await searchParams).before;
  const before = Number(Array.isArray(raw) ? raw[0] : raw);
  const [{ rows, total, nextBefore }, t, tm, { timeZone }] = await Promise.all([
    listOutbox(db, actor.merchantId, { before: Number.isSafeInteger(before) && before > 0 ? before : undefined }),
    getTranslations("background.outbox"),
    getTranslations("messaging.status"),
    currentProgram(db, actor.merchantId),
  ]);
  const templateLabel = (k: string) => (t.has(`templates.${k}`) ? t(`templates.${k}` as never) : k);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Card aria-labelledby="outbox-heading">
        <CardHeader id="outbox-heading" title={t("listTitle", { total })} description={t("listDescription")} />
        {rows.length ? (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="outbox-table">
              <thead className="border-b border-gray-100 text-gray-500">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">{t("time")}</th>
                  <th scope="col" className="px-5 py-2 font-medium">{t("member")}</th>
                  <th scope="col" className="px-5 py-2 font-medium">{t("template")}</th>
                  <th scope="col" className="px-5 py-2 font-medium">{t("payload")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {rows.map((r) => (
                  <tr key={r.id} className="align-top">
                    <td className="px-5 py-2 whitespace-nowrap tabular-nums">{formatDateTime(r.createdAt.toISOString(), timeZone)}</td>
                    <td className="px-5 py-2 whitespace-nowrap">
                      <Link href={`/members/${encodeURIComponent(r.memberId)}`} className="text-accent-700 hover:underline">
                        {r.memberName ?? r.memberId}
                      </Link>
                    </td>
                    <td className="px-5 py-2">
                      {templateLabel(r.template)} <code className="text-xs text-gray-500">{r.template}</code>
                    </td>
                    <td className="px-5 py-2">
                      {typeof r.payload.text === "string" ? <p className="mb-1 text-gray-900">{r.payload.text}</p> : null}
                      {r.status === "capped" ? (
                        <Badge tone="red">{tm("capped")}</Badge>
                      ) : r.status === "held" ? (
                        <Badge tone="amber">{r.committedAt ? tm("released") : tm("held", { time: formatDateTime(r.heldUntil?.toISOString() ?? null, timeZone) })}</Badge>
                      ) : r.committedAt ? (
                        <Badge tone="green">{tm("sent")}</Badge>
                      ) : (
                        <Badge>{tm("pending")}</Badge>
                      )}
                      <code className="mt-1 block text-xs break-all text-gray-500">{JSON.stringify(r.payload)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="px-5 py-8 text-sm text-gray-500">{t("empty")}</p>
        )}
        {nextBefore ? (
          <div className="border-t border-gray-100 px-5 py-3">
            <Link href={`/outbox?before=${nextBefore}`} className={buttonClasses("secondary", "sm")}>
              {t("older")}
            </Link>
          </div>
        ) : null}
      </Card>
    </>
  );
}

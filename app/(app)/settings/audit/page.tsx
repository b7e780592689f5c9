import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { auditFilter } from "@/lib/schemas/workbench";
import { listAudit } from "@/lib/workbench/queries";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { AuditChanges } from "@/components/workbench/audit-changes";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { inputClasses } from "@/components/ui/field";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("workbench.audit"))("title") };
}

/** Settings → Audit log (owners): who changed what, when, before and after; filterable by URL. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "audit.read")) return <ForbiddenPanel actor={actor} />;
  const raw = await searchParams;
  const one = (k: string) => {
    const v = raw[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s ? s : undefined;
  };
  const parsed = auditFilter.safeParse({ action: one("action"), entity: one("entity"), actor: one("actor"), from: one("from"), to: one("to") });
  const filter = parsed.success ? parsed.data : {};
  const [{ rows, actions, entities }, t, format, ta, te, tw] = await Promise.all([
    listAudit(db, actor.merchantId, filter),
    getTranslations("workbench.audit"),
    getFormatter(),
    getTranslations("auditActions"),
    getTranslations("auditEntities"),
    getTranslations("auditWords"),
  ]);
  // Actions and entities in words; a code the messages do not know yet shows as itself.
  const actionWord = (a: string) => (ta.has(a) ? ta(a) : a);
  const entityWord = (e: string) => (te.has(e) ? te(e) : e);
  return (
    <Card aria-labelledby="audit-heading">
      <CardHeader id="audit-heading" title={t("title")} description={t("description")} />
      <form method="get" className="grid gap-3 border-b border-gray-100 px-5 py-4 sm:grid-cols-3 lg:grid-cols-6" data-testid="audit-filter">
        <div>
          <label htmlFor="f-action" className="mb-1 block text-xs font-medium text-gray-600">{t("action")}</label>
          <select id="f-action" name="action" defaultValue={filter.action ?? ""} className={inputClasses()}>
            <option value="">{t("all")}</option>
            {actions.map((a) => (
              <option key={a} value={a}>{actionWord(a)}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-entity" className="mb-1 block text-xs font-medium text-gray-600">{t("entity")}</label>
          <select id="f-entity" name="entity" defaultValue={filter.entity ?? ""} className={inputClasses()}>
            <option value="">{t("all")}</option>
            {entities.map((a) => (
              <option key={a} value={a}>{entityWord(a)}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-actor" className="mb-1 block text-xs font-medium text-gray-600">{t("actor")}</label>
          <input id="f-actor" name="actor" defaultValue={filter.actor ?? ""} className={inputClasses()} />
        </div>
        <div>
          <label htmlFor="f-from" className="mb-1 block text-xs font-medium text-gray-600">{t("from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={filter.from ?? ""} className={inputClasses()} />
        </div>
        <div>
          <label htmlFor="f-to" className="mb-1 block text-xs font-medium text-gray-600">{t("to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={filter.to ?? ""} className={inputClasses()} />
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className={buttonClasses("primary")}>{t("apply")}</button>
          <a href="/settings/audit" className={buttonClasses("ghost")}>{t("clear")}</a>
        </div>
      </form>
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="audit-table">
          <thead>
            <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
              <th className="py-2 pr-3 pl-5 font-medium">{t("at")}</th>
              <th className="py-2 pr-3 font-medium">{t("actor")}</th>
              <th className="py-2 pr-3 font-medium">{t("action")}</th>
              <th className="py-2 pr-3 font-medium">{t("entity")}</th>
              <th className="py-2 pr-5 font-medium">{t("changes")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-b border-gray-100 align-top" data-testid="audit-row">
                <td className="py-2.5 pr-3 pl-5 whitespace-nowrap text-gray-600 tabular-nums">{format.dateTime(r.at, { dateStyle: "medium", timeStyle: "medium" })}</td>
                <td className="py-2.5 pr-3 text-gray-900">{r.actorLabel ?? r.actorType}</td>
                <td className="py-2.5 pr-3 text-gray-900" title={r.action}>{actionWord(r.action)}</td>
                <td className="py-2.5 pr-3 text-gray-600">
                  {entityWord(r.entity)}
                  {r.entityId ? <span className="text-gray-400"> {r.entity === "program" ? tw("version", { version: r.entityId }) : `#${r.entityId}`}</span> : null}
                </td>
                <td className="py-2.5 pr-5">
                  <AuditChanges entity={r.entity} before={r.before} after={r.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="px-5 py-8 text-center text-sm text-gray-500">{t("empty")}</p> : null}
      </div>
    </Card>
  );
}

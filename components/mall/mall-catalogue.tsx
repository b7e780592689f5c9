"use client";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import type { MallItemAnswer } from "@/lib/schemas/mall";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatYuan } from "@/components/members/format";
import { formatMoney } from "@/lib/format/money";
import { ItemForm, type Choice } from "./item-form";

/** The catalogue: a table of items; operators add and edit in place, analysts only read. */
export function MallCatalogue({ items, canWrite, rights, tiers }: { items: MallItemAnswer[]; canWrite: boolean; rights: Choice[]; tiers: Choice[] }) {
  const t = useTranslations("mall");
  const locale = useLocale();
  const [editing, setEditing] = useState<MallItemAnswer | "new" | null>(null);
  const tierLabel = (code: string) => tiers.find((x) => x.code === code)?.label ?? code;

  return (
    <>
      {canWrite ? (
        <div className="border-b border-gray-100">
          {editing ? (
            <ItemForm key={editing === "new" ? "new" : editing.itemId} item={editing === "new" ? null : editing} rights={rights} tiers={tiers} onDone={() => setEditing(null)} />
          ) : (
            <div className="flex items-center justify-between gap-3 px-5 py-3">
              <p className="text-xs text-gray-500">{t("membershipNote")}</p>
              <Button onClick={() => setEditing("new")} data-testid="mall-add">
                {t("add")}
              </Button>
            </div>
          )}
        </div>
      ) : (
        <p className="border-b border-gray-100 px-5 py-3 text-sm text-gray-500" data-testid="mall-read-only">
          {t("readOnly")}
        </p>
      )}
      {items.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-gray-500">{t("empty")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("table.caption")}</caption>
            <thead className="border-b border-gray-100 bg-gray-50/60 text-xs font-medium text-gray-500">
              <tr>
                <th scope="col" className="px-5 py-2.5 font-medium">{t("table.item")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.kind")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.price")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.unitCost")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.stock")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.limit")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.tiers")}</th>
                <th scope="col" className="px-3 py-2.5 font-medium">{t("table.status")}</th>
                {canWrite ? <th scope="col" className="px-5 py-2.5 text-right font-medium">{t("table.actions")}</th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {items.map((i) => (
                <tr key={i.itemId} data-testid={`mall-item-${i.itemId}`}>
                  <td className="px-5 py-3">
                    <div className="font-medium text-gray-900">{locale === "en" ? i.nameEn : i.name}</div>
                    <div className="font-mono text-xs text-gray-500">{i.itemId}</div>
                  </td>
                  <td className="px-3 py-3">{t(`kind.${i.kind}`)}</td>
                  <td className="px-3 py-3 whitespace-nowrap">{t("price", { points: i.points.toLocaleString(locale), cash: i.cash ? formatMoney(i.cash, locale) : "none" })}</td>
                  <td className="px-3 py-3">{formatYuan(i.unitCost, locale)}</td>
                  <td className="px-3 py-3" data-testid={`mall-stock-${i.itemId}`}>{i.stock === null ? t("unlimited") : i.stock.toLocaleString(locale)}</td>
                  <td className="px-3 py-3">{i.perMemberLimit ? t("limit", { count: i.perMemberLimit.count, period: t(`limitPeriod.${i.perMemberLimit.period}`) }) : t("noLimit")}</td>
                  <td className="px-3 py-3">{i.tiers ? i.tiers.map(tierLabel).join("、") : t("allTiers")}</td>
                  <td className="px-3 py-3">{i.active ? <Badge tone="green">{t("active")}</Badge> : <Badge tone="gray">{t("inactive")}</Badge>}</td>
                  {canWrite ? (
                    <td className="px-5 py-3 text-right">
                      <Button size="sm" variant="secondary" onClick={() => setEditing(i)} aria-label={`${t("edit")} ${i.name}`}>
                        {t("edit")}
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { currentProgram } from "@/lib/program/store";
import { listItemRows } from "@/lib/mall/items";
import { listOrders, ORDER_PAGE_SIZE } from "@/lib/mall/list-orders";
import { mallOrderListQuery } from "@/lib/schemas/mall";
import { PageHeader } from "@/components/shell/page-header";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { formatDateTime, formatYuan } from "@/components/members/format";
import { OrderActions } from "@/components/mall/order-actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("mall.orders"))("heading") };
}

const tone = { placed: "amber", shipped: "green", picked_up: "green", cancelled: "gray" } as const;
const inputClass = "h-9 rounded-md border border-gray-300 bg-white px-2 text-sm";

/** Mall orders: filters in the URL (a plain GET form), CSV of the same filter, fulfilment by operators. */
export default async function MallOrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "members.read")) return <ForbiddenPanel actor={actor} />;
  const raw = await searchParams;
  const filter = mallOrderListQuery.parse(Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "")));
  const [orders, items, program, t, locale] = await Promise.all([
    listOrders(db, actor.merchantId, filter),
    listItemRows(db, actor.merchantId),
    currentProgram(db, actor.merchantId),
    getTranslations("mall.orders"),
    getLocale(),
  ]);
  const itemName = (id: string) => {
    const i = items.find((x) => x.itemId === id);
    return i ? (locale === "en" ? i.nameEn : i.name) : id;
  };
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1]));
  const canWrite = can(actor, "mall.write");

  return (
    <>
      <PageHeader
        title={t("heading")}
        description={t("description")}
        actions={
          <div className="flex gap-2">
            <Link href="/mall" className={buttonClasses("secondary")}>
              {(await getTranslations("mall"))("catalogueLink")}
            </Link>
            <a href={`/api/mall/orders/export?${query.toString()}`} className={buttonClasses("secondary")} download>
              {t("export")}
            </a>
            <a href={`/api/mall/orders/export?${new URLSearchParams([...query, ["format", "xlsx"]]).toString()}`} className={buttonClasses("secondary")} download data-testid="mall-orders-export-xlsx">
              {(await getTranslations("exports"))("xlsx")}
            </a>
          </div>
        }
      />
      <Card aria-label={t("heading")}>
        <form method="get" className="flex flex-wrap items-end gap-3 border-b border-gray-100 px-5 py-4" aria-label={t("filter.apply")}>
          <label className="text-xs text-gray-600">
            {t("filter.status")}
            <select name="status" defaultValue={filter.status ?? ""} className={`${inputClass} mt-1 block`}>
              <option value="">{t("filter.any")}</option>
              {(["placed", "shipped", "picked_up", "cancelled"] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="text-xs text-gray-600">
            {t("filter.item")}
            <select name="itemId" defaultValue={filter.itemId ?? ""} className={`${inputClass} mt-1 block`}>
              <option value="">{t("filter.any")}</option>
              {items.map((i) => (
                <option key={i.itemId} value={i.itemId}>
                  {locale === "en" ? i.nameEn : i.name}
                </option>
              ))}
            </select>
          </label>
          <label className="text-xs text-gray-600">
            {t("filter.member")}
            <input name="memberId" defaultValue={filter.memberId ?? ""} className={`${inputClass} mt-1 block w-36`} />
          </label>
          <label className="text-xs text-gray-600">
            {t("filter.from")}
            <input type="date" name="from" defaultValue={filter.from ?? ""} className={`${inputClass} mt-1 block`} />
          </label>
          <label className="text-xs text-gray-600">
            {t("filter.to")}
            <input type="date" name="to" defaultValue={filter.to ?? ""} className={`${inputClass} mt-1 block`} />
          </label>
          <button type="submit" className={buttonClasses("primary")}>
            {t("filter.apply")}
          </button>
          <Link href="/mall/orders" className={buttonClasses("ghost")}>
            {t("filter.reset")}
          </Link>
        </form>
        {orders.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-gray-500">{t("empty")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("table.caption")}</caption>
              <thead className="border-b border-gray-100 bg-gray-50/60 text-xs font-medium text-gray-500">
                <tr>
                  <th scope="col" className="px-5 py-2.5 font-medium">{t("table.date")}</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">{t("table.order")}</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">{t("table.member")}</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">{t("table.item")}</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">{t("table.quantity")}</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">{t("table.points")}</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">{t("table.cash")}</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">{t("table.status")}</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">{t("table.note")}</th>
                  {canWrite ? <th scope="col" className="px-5 py-2.5 text-right font-medium">{t("table.actions")}</th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {orders.map((o) => (
                  <tr key={o.orderId} data-testid={`mall-order-${o.orderId}`}>
                    <td className="px-5 py-3 whitespace-nowrap text-gray-600">{formatDateTime(o.placedAt.toISOString(), program.timeZone)}</td>
                    <td className="px-3 py-3 font-mono text-xs">{o.orderId}</td>
                    <td className="px-3 py-3">
                      <Link href={`/members/${encodeURIComponent(o.memberId)}`} className="text-accent-700 hover:underline">
                        {o.memberId}
                      </Link>
                    </td>
                    <td className="px-3 py-3">{itemName(o.itemId)}</td>
                    <td className="px-3 py-3 text-right">{o.quantity}</td>
                    <td className="px-3 py-3 text-right">{o.points.toLocaleString(locale)}</td>
                    <td className="px-3 py-3 text-right">{formatYuan(o.cash, locale)}</td>
                    <td className="px-3 py-3">
                      <Badge tone={tone[o.status]}>{t(`status.${o.status}`)}</Badge>
                    </td>
                    <td className="px-3 py-3 text-gray-600">{o.note ?? ""}</td>
                    {canWrite ? <td className="px-5 py-3 text-right">{o.status === "placed" ? <OrderActions orderId={o.orderId} goods={o.kind === "goods"} /> : null}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
            {orders.length === ORDER_PAGE_SIZE ? <p className="px-5 py-3 text-xs text-gray-500">{t("limitNote", { count: ORDER_PAGE_SIZE })}</p> : null}
          </div>
        )}
      </Card>
    </>
  );
}

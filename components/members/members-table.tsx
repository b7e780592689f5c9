"use client";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type VisibilityState } from "@tanstack/react-table";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { usePathname, useSearchParams } from "@/components/navigation";
import { useMemo } from "react";
import type { MemberListRow } from "@/lib/members/list-members";
import type { MemberSortKey } from "@/lib/schemas/members";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatInt, formatYuan } from "./format";

/** Columns hidden unless chosen; the choice lives in the URL (`hide`) like the filter. */
export const defaultHidden = ["growth", "orderCount", "rfm"];
const sortable: Partial<Record<string, MemberSortKey>> = {
  memberId: "memberId",
  lifetimeSpend: "lifetimeSpend",
  pointsBalance: "pointsBalance",
  registeredAt: "registeredAt",
  lastOrderAt: "lastOrderAt",
};
const cellClass = (meta: unknown) => {
  const { num, wide } = (meta as { num?: boolean; wide?: boolean } | undefined) ?? {};
  return `${num ? "text-right tabular-nums" : ""} ${wide ? "hidden xl:table-cell" : ""}`;
};
const lifecycleTone = { new: "accent", active: "green", dormant: "amber", lost: "red" } as const;

export function MembersTable({ rows, tiers, timeZone, sort, dir }: { rows: MemberListRow[]; tiers: Record<string, { label: string; color: string }>; timeZone: string; sort: MemberSortKey; dir: "asc" | "desc" }) {
  // TanStack Table's instance is mutable: the React Compiler must not memoise this component.
  "use no memo";
  const t = useTranslations("members");
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const hidden = params.has("hide") ? (params.get("hide") ?? "").split(",").filter(Boolean) : defaultHidden;

  const columns = useMemo<ColumnDef<MemberListRow>[]>(
    () => [
      {
        id: "memberId",
        header: t("columns.member"),
        enableHiding: false,
        cell: ({ row: { original: m } }) => (
          <Link href={`/members/${encodeURIComponent(m.memberId)}`} className="group block">
            <span className="font-medium text-gray-900 group-hover:text-accent-700">{m.name ?? t("unnamed")}</span>
            <span className="block font-mono text-xs text-gray-500">{m.memberId}</span>
          </Link>
        ),
      },
      { id: "phone", header: t("columns.phone"), cell: ({ row }) => <span className="font-mono text-xs">{row.original.phone ?? "—"}</span> },
      {
        id: "tier",
        header: t("columns.tier"),
        cell: ({ row }) => {
          const tier = tiers[row.original.tierCode];
          return (
            <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
              <span className="size-2 rounded-full" style={{ background: tier?.color ?? "#9ca3af" }} aria-hidden="true" />
              {tier?.label ?? row.original.tierCode}
            </span>
          );
        },
      },
      { id: "lifecycle", header: t("columns.lifecycle"), cell: ({ row }) => <Badge tone={lifecycleTone[row.original.lifecycle]}>{t(`lifecycle.${row.original.lifecycle}`)}</Badge> },
      { id: "rfm", header: t("columns.rfm"), cell: ({ row }) => <span className="font-mono text-xs">{`R${row.original.rfm.r} F${row.original.rfm.f} M${row.original.rfm.m}`}</span> },
      { id: "lifetimeSpend", header: t("columns.spend"), meta: { num: true }, cell: ({ row }) => formatYuan(row.original.lifetimeSpend, locale) },
      { id: "pointsBalance", header: t("columns.points"), meta: { num: true }, cell: ({ row }) => formatInt(row.original.pointsBalance, locale) },
      { id: "growth", header: t("columns.growth"), meta: { num: true }, cell: ({ row }) => formatInt(row.original.growth, locale) },
      { id: "orderCount", header: t("columns.orders"), meta: { num: true }, cell: ({ row }) => formatInt(row.original.orderCount, locale) },
      // Below 1280 px the registration date gives way (it is on the member's page), so the list fits at 820 px.
      { id: "registeredAt", header: t("columns.registered"), meta: { wide: true }, cell: ({ row }) => formatDateTime(row.original.registeredAt, timeZone, false) },
      { id: "lastOrderAt", header: t("columns.lastOrder"), cell: ({ row }) => formatDateTime(row.original.lastOrderAt, timeZone, false) },
    ],
    [t, tiers, locale, timeZone],
  );
  const columnVisibility: VisibilityState = Object.fromEntries(hidden.map((id) => [id, false]));
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    state: { columnVisibility, sorting: [{ id: sort, desc: dir === "desc" }] },
    onColumnVisibilityChange: (updater) => {
      const next = typeof updater === "function" ? updater(columnVisibility) : updater;
      const p = new URLSearchParams(params.toString());
      p.set("hide", Object.entries(next).filter(([, visible]) => !visible).map(([id]) => id).join(","));
      router.replace(`${pathname}?${p.toString()}`, { scroll: false });
    },
  });

  const sortHref = (key: MemberSortKey) => {
    const p = new URLSearchParams(params.toString());
    p.delete("cursor");
    p.set("sort", key);
    p.set("dir", sort === key && dir === "desc" ? "asc" : "desc");
    return `${pathname}?${p.toString()}`;
  };

  return (
    <>
      <div className="flex items-center justify-end border-b border-gray-100 px-5 py-2">
        <details className="relative">
          <summary className="cursor-pointer list-none rounded-md px-2.5 py-1.5 text-sm font-medium text-gray-600 ring-1 ring-gray-200 hover:bg-gray-50">{t("columns.chooser")}</summary>
          <div className="absolute right-0 z-20 mt-1 w-48 rounded-lg bg-white p-2 shadow-lg ring-1 ring-gray-200">
            {table
              .getAllLeafColumns()
              .filter((c) => c.getCanHide())
              .map((c) => (
                <label key={c.id} className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-gray-50">
                  <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} className="accent-accent-600" />
                  {String(c.columnDef.header)}
                </label>
              ))}
          </div>
        </details>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="members-table">
          <caption className="sr-only">{t("table.caption")}</caption>
          <thead className="border-b border-gray-100 bg-gray-50/60 text-xs font-medium text-gray-500">
            {table.getHeaderGroups().map((g) => (
              <tr key={g.id}>
                {g.headers.map((h) => {
                  const key = sortable[h.column.id];
                  const { num, wide } = (h.column.columnDef.meta as { num?: boolean; wide?: boolean } | undefined) ?? {};
                  const active = key === sort;
                  return (
                    <th key={h.id} scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined} className={`px-3 py-2.5 font-medium whitespace-nowrap first:pl-5 xl:px-4 ${num ? "text-right" : ""} ${wide ? "hidden xl:table-cell" : ""}`}>
                      {key ? (
                        <Link href={sortHref(key)} className={`inline-flex items-center gap-1 hover:text-gray-900 ${active ? "text-gray-900" : ""}`} scroll={false}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          <span aria-hidden="true" className={active ? "" : "text-gray-300"}>
                            {active ? (dir === "asc" ? "↑" : "↓") : "↕"}
                          </span>
                        </Link>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-gray-100">
            {table.getRowModel().rows.map((r) => (
              <tr key={r.id} className="hover:bg-gray-50/60">
                {r.getVisibleCells().map((c) => (
                  <td key={c.id} className={`px-3 py-2.5 whitespace-nowrap text-gray-700 first:pl-5 xl:px-4 ${cellClass(c.column.columnDef.meta)}`}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { saveMallItemAction } from "@/lib/actions/save-mall-item";
import type { MallItemAnswer } from "@/lib/schemas/mall";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, describedBy } from "@/components/ui/field";
import { useHydrated } from "@/components/forms/use-hydrated";

export interface Choice {
  code: string;
  label: string;
}

const toYuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.00$/, "");
/** "9.90" → 990; an unparsable entry stays as it is, so the schema names the field. */
const toFen = (s: string): number | string => (s.trim() === "" ? 0 : Number.isFinite(Number(s)) ? Math.round(Number(s) * 100) : s);
const toInt = (s: string): number | string => (Number.isFinite(Number(s)) && s.trim() !== "" ? Number(s) : s);

/** Create or edit one mall item. Dates set over the API are kept as they are. */
export function ItemForm({ item, rights, tiers, onDone }: { item: MallItemAnswer | null; rights: Choice[]; tiers: Choice[]; onDone: () => void }) {
  const t = useTranslations("mall.form");
  const tc = useTranslations("programCodes");
  const tKind = useTranslations("mall.kind");
  const router = useRouter();
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [v, setV] = useState({
    itemId: item?.itemId ?? "",
    name: item?.name ?? "",
    nameEn: item?.nameEn ?? "",
    kind: item?.kind ?? "goods",
    right: item?.right ?? "",
    points: String(item?.points ?? ""),
    cash: item ? toYuan(item.cash) : "0",
    unitCost: item ? toYuan(item.unitCost) : "0",
    stock: item?.stock === null || item?.stock === undefined ? "" : String(item.stock),
    limitCount: item?.perMemberLimit ? String(item.perMemberLimit.count) : "",
    limitPeriod: item?.perMemberLimit?.period ?? "month",
    tiers: item?.tiers ?? [],
    description: item?.description ?? "",
    sortOrder: String(item?.sortOrder ?? 0),
    active: item?.active ?? true,
  });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const err = (k: string) => errors[`item.${k}`];

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const payload = {
      itemId: v.itemId.trim(),
      name: v.name,
      nameEn: v.nameEn,
      kind: v.kind as "goods" | "right",
      right: v.kind === "right" ? v.right || null : null,
      points: toInt(v.points) as number,
      cash: toFen(v.cash) as number,
      unitCost: toFen(v.unitCost) as number,
      stock: v.stock.trim() === "" ? null : (toInt(v.stock) as number),
      perMemberLimit: v.limitCount.trim() === "" ? null : { count: toInt(v.limitCount) as number, period: v.limitPeriod as "month" },
      tiers: v.tiers.length ? v.tiers : null,
      startsAt: item?.startsAt ?? null,
      endsAt: item?.endsAt ?? null,
      description: v.description || null,
      imageUrl: item?.imageUrl ?? null,
      sortOrder: toInt(v.sortOrder) as number,
      active: v.active,
    };
    startTransition(async () => {
      const res = await saveMallItemAction({ mode: item ? "update" : "create", item: payload });
      if (!res.ok) {
        setErrors(res.error.fieldErrors);
        setFormError(res.error.message);
        return;
      }
      setErrors({});
      setFormError(null);
      onDone();
      router.refresh();
    });
  }

  const field = (k: keyof typeof v, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}, hint?: string) => {
    const id = `mall-${k}`;
    const path = k === "limitCount" ? "perMemberLimit.count" : k;
    return (
      <Field id={id} label={label} hint={hint} error={err(path)}>
        <Input id={id} value={v[k] as string} onChange={set(k)} invalid={!!err(path)} aria-describedby={describedBy(id, err(path), !!hint)} {...props} />
      </Field>
    );
  };

  return (
    <form onSubmit={submit} className="space-y-4 px-5 py-4" data-testid="mall-item-form" noValidate>
      <h3 className="text-sm font-semibold text-gray-900">{item ? t("editTitle", { name: item.name }) : t("createTitle")}</h3>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {field("itemId", t("itemId"), { readOnly: !!item, placeholder: item ? undefined : tc("codeAuto") }, t("itemIdHint"))}
        {field("name", t("name"))}
        {field("nameEn", t("nameEn"), { placeholder: tc("enOptional") })}
        <Field id="mall-kind" label={t("kind")} error={err("kind")}>
          <Select id="mall-kind" value={v.kind} onChange={set("kind")}>
            <option value="goods">{tKind("goods")}</option>
            <option value="right">{tKind("right")}</option>
          </Select>
        </Field>
        {v.kind === "right" ? (
          <Field id="mall-right" label={t("right")} error={err("right")}>
            <Select id="mall-right" value={v.right} onChange={set("right")} invalid={!!err("right")}>
              <option value="">—</option>
              {rights.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        {field("points", t("points"), { inputMode: "numeric" })}
        {field("cash", t("cash"), { inputMode: "decimal" }, t("cashHint"))}
        {field("unitCost", t("unitCost"), { inputMode: "decimal" })}
        {field("stock", t("stock"), { inputMode: "numeric" }, t("stockHint"))}
        {field("limitCount", t("limitCount"), { inputMode: "numeric" }, t("limitHint"))}
        <Field id="mall-limitPeriod" label={t("limitPeriod")}>
          <Select id="mall-limitPeriod" value={v.limitPeriod} onChange={set("limitPeriod")}>
            {(["day", "month", "year", "ever"] as const).map((p) => (
              <option key={p} value={p}>
                {t(`period.${p}`)}
              </option>
            ))}
          </Select>
        </Field>
        {field("sortOrder", t("sortOrder"), { inputMode: "numeric" })}
        {field("description", t("description"))}
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">{t("tiers")}</legend>
        <div className="mt-1.5 flex flex-wrap gap-4">
          {tiers.map((x) => (
            <label key={x.code} className="flex items-center gap-1.5 text-sm text-gray-700">
              <input type="checkbox" checked={v.tiers.includes(x.code)} onChange={(e) => setV({ ...v, tiers: e.target.checked ? [...v.tiers, x.code] : v.tiers.filter((c) => c !== x.code) })} />
              {x.label}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex items-center gap-2 text-sm text-gray-700">
        <input type="checkbox" checked={v.active} onChange={(e) => setV({ ...v, active: e.target.checked })} />
        {t("active")}
      </label>
      {formError ? (
        <p role="alert" className="text-sm text-red-600">
          {formError}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={!hydrated || pending}>
          {pending ? t("saving") : t("save")}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}

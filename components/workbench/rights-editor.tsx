"use client";
import clsx from "clsx";
import { useLocale, useTranslations } from "next-intl";
import { useRef, type KeyboardEvent } from "react";
import { useFieldArray, useWatch } from "react-hook-form";
import { cadences, rightKinds, type Program } from "@/lib/schemas/program";
import { tierMonthlyCosts } from "@/lib/workbench/costs";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { inputClasses } from "@/components/ui/field";
import { NumberInput, SelectInput, TextInput, YuanInput, yuan } from "./controls";
import { CouponEffectInput } from "./checkout-controls";
import { ErrorText, useEditor, useProgramForm } from "./program-form";
import { PreviewPanel } from "./preview-panel";

type Cell = Program["matrix"][number];

function Catalogue() {
  const t = useTranslations("workbench.rights");
  const tp = useTranslations("programCodes");
  const { control } = useProgramForm();
  const { readOnly } = useEditor();
  const { fields, append, remove } = useFieldArray({ control, name: "rights" });
  return (
    <Card aria-labelledby="catalogue-heading">
      <CardHeader
        id="catalogue-heading"
        title={t("catalogue")}
        description={t("catalogueHelp")}
        actions={
          readOnly ? null : (
            <Button
              variant="secondary"
              data-testid="add-right"
              onClick={() => append({ code: `right${fields.length + 1}`, name: { zh: "", en: "" }, kind: "coupon", cadence: "monthly", group: "tier", unitCost: 0, faceValue: null, validityDays: 30, coupon: null })}
            >
              + {t("add")}
            </Button>
          )
        }
      />
      <div className="overflow-x-auto">
        <table className="w-full min-w-[1100px] text-sm">
          <thead>
            <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
              {["code", "nameZh", "nameEn", "kind", "cadence", "unitCost", "validity"].map((k) => (
                <th key={k} className="px-2 py-2 font-medium first:pl-5">
                  {t(k)}
                </th>
              ))}
              <th className="pr-5" />
            </tr>
          </thead>
          <tbody>
            {fields.map((f, i) => [
              <tr key={f.id} className="align-top" data-testid={`right-row-${i}`}>
                <td className="py-2 pr-2 pl-5">
                  <TextInput name={`rights.${i}.code`} id={`r${i}-code`} aria-label={t("code")} placeholder={tp("codeAuto")} className="font-mono" />
                  <ErrorText name={`rights.${i}.code`} />
                </td>
                <td className="px-2 py-2">
                  <TextInput name={`rights.${i}.name.zh`} id={`r${i}-zh`} aria-label={t("nameZh")} />
                  <ErrorText name={`rights.${i}.name.zh`} />
                </td>
                <td className="px-2 py-2">
                  <TextInput name={`rights.${i}.name.en`} id={`r${i}-en`} aria-label={t("nameEn")} placeholder={tp("enOptional")} />
                  <ErrorText name={`rights.${i}.name.en`} />
                </td>
                <td className="px-2 py-2">
                  <SelectInput name={`rights.${i}.kind`} id={`r${i}-kind`} aria-label={t("kind")} className="min-w-28">
                    {rightKinds.map((k) => (
                      <option key={k} value={k}>
                        {t(`kinds.${k}`)}
                      </option>
                    ))}
                  </SelectInput>
                </td>
                <td className="px-2 py-2">
                  <SelectInput name={`rights.${i}.cadence`} id={`r${i}-cadence`} aria-label={t("cadence")} className="min-w-28">
                    {cadences.map((k) => (
                      <option key={k} value={k}>
                        {t(`cadences.${k}`)}
                      </option>
                    ))}
                  </SelectInput>
                </td>
                <td className="w-32 px-2 py-2">
                  <YuanInput name={`rights.${i}.unitCost`} id={`r${i}-cost`} aria-label={t("unitCost")} />
                  <ErrorText name={`rights.${i}.unitCost`} />
                </td>
                <td className="w-28 px-2 py-2">
                  <NumberInput name={`rights.${i}.validityDays`} id={`r${i}-validity`} nullable min={1} aria-label={t("validity")} />
                </td>
                <td className="py-2 pr-5 text-right">
                  {readOnly ? null : (
                    <Button variant="ghost" size="sm" onClick={() => remove(i)} aria-label={t("remove")}>
                      ✕
                    </Button>
                  )}
                </td>
              </tr>,
              <tr key={`${f.id}-coupon`} className="border-b border-gray-100" data-testid={`right-coupon-${i}`}>
                <td colSpan={8} className="pt-0 pr-5 pb-2 pl-5">
                  <CouponEffectInput index={i} />
                </td>
              </tr>,
            ])}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

/** Arrow keys move between cells (up/down always; left/right at the start or end of the text). */
function moveFocus(e: KeyboardEvent<HTMLInputElement>) {
  const el = e.currentTarget;
  const row = Number(el.dataset.row);
  const col = Number(el.dataset.col);
  const field = el.dataset.field;
  let target: string | null = null;
  const atStart = el.type === "number" || el.selectionStart === 0;
  const atEnd = el.type === "number" || el.selectionEnd === el.value.length;
  if (e.key === "ArrowDown" || e.key === "Enter") target = `[data-row="${row + 1}"][data-col="${col}"][data-field="${field}"]`;
  else if (e.key === "ArrowUp") target = `[data-row="${row - 1}"][data-col="${col}"][data-field="${field}"]`;
  else if (e.key === "ArrowRight" && atEnd) target = field === "value" ? `[data-row="${row}"][data-col="${col}"][data-field="quantity"]` : `[data-row="${row}"][data-col="${col + 1}"][data-field="value"]`;
  else if (e.key === "ArrowLeft" && atStart) target = field === "quantity" ? `[data-row="${row}"][data-col="${col}"][data-field="value"]` : `[data-row="${row}"][data-col="${col - 1}"][data-field="quantity"]`;
  if (!target) return;
  const next = el.closest("table")?.querySelector<HTMLInputElement>(target);
  if (next) {
    e.preventDefault();
    next.focus();
    next.select();
  }
}

function Matrix() {
  const t = useTranslations("workbench.rights");
  const locale = useLocale();
  const { control, setValue, getValues } = useProgramForm();
  const { readOnly, quickSave } = useEditor();
  const [tiers, rights, matrix] = useWatch({ control, name: ["tiers", "rights", "matrix"] }) as [Program["tiers"], Program["rights"], Cell[]];
  const costs = tierMonthlyCosts({ tiers, rights, matrix: matrix.map((c) => ({ ...c, quantity: Number(c.quantity) || 0, unitCost: c.unitCost ?? null, value: c.value ?? null })) });
  const find = (tierCode: string, rightCode: string) => matrix.findIndex((c) => c.tierCode === tierCode && c.rightCode === rightCode);

  const update = (tierCode: string, rightCode: string, patch: Partial<Cell>) => {
    const cells = [...getValues("matrix")] as Cell[];
    const i = cells.findIndex((c) => c.tierCode === tierCode && c.rightCode === rightCode);
    const cell: Cell = { ...(i >= 0 ? cells[i] : { tierCode, rightCode, value: null, quantity: 0, unitCost: null }), ...patch };
    if (cell.quantity === 0 && !cell.value && cell.unitCost === null) {
      if (i >= 0) cells.splice(i, 1);
    } else if (i >= 0) cells[i] = cell;
    else cells.push(cell);
    setValue("matrix", cells as never, { shouldDirty: true });
    edited.current.add(`${tierCode}/${rightCode}`);
  };
  // A cell typed in is saved when the cursor leaves it (Tab, arrows, Enter or a click elsewhere);
  // the cost line below changes while typing. Cells of a tier or right not saved yet wait for Save,
  // and so does a cell left for the preview button (Save, or leaving the cell again, saves it).
  const edited = useRef(new Set<string>());
  // Going to the preview button keeps the cell a draft, so the preview shows what it would do first.
  const leave = (tierCode: string, rightCode: string, to: EventTarget | null) => {
    if (to instanceof Element && to.closest("[data-keeps-drafts]")) return;
    if (!edited.current.delete(`${tierCode}/${rightCode}`)) return;
    const cell = (getValues("matrix") as Cell[]).find((c) => c.tierCode === tierCode && c.rightCode === rightCode);
    quickSave({ kind: "matrixCell", tierCode, rightCode, value: cell?.value ?? null, quantity: Number(cell?.quantity ?? 0) });
  };
  const name = (n: { zh: string; en: string }, code: string) => (locale === "en" ? n.en : n.zh) || code;

  return (
    <Card aria-labelledby="matrix-heading">
      <CardHeader id="matrix-heading" title={t("matrix")} description={t("matrixHelp")} />
      <div className="overflow-x-auto">
        <table className="w-full table-fixed text-sm" style={{ minWidth: `${11 + tiers.length * 10}rem` }} data-testid="rights-matrix">
          <colgroup>
            <col className="w-44" />
            {tiers.map((tier) => (
              <col key={tier.code} />
            ))}
          </colgroup>
          <thead>
            <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
              <th className="py-2 pr-3 pl-5 font-medium">{t("right")}</th>
              {tiers.map((tier) => (
                <th key={tier.code} className="truncate px-2 py-2 font-medium">
                  <span className="mr-1.5 inline-block size-2.5 rounded-full align-middle" style={{ backgroundColor: tier.color }} aria-hidden="true" />
                  {name(tier.name, tier.code)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rights.map((r, row) => (
              <tr key={`${r.code}-${row}`} className="border-b border-gray-100">
                <th scope="row" className="py-2 pr-3 pl-5 text-left font-normal">
                  <span className="font-medium text-gray-900">{name(r.name, r.code)}</span>
                  <span className="block text-xs text-gray-500">
                    {t(`cadences.${r.cadence}`)} · {yuan(r.unitCost ?? 0, locale)}
                  </span>
                </th>
                {tiers.map((tier, col) => {
                  const i = find(tier.code, r.code);
                  const cell = i >= 0 ? matrix[i] : null;
                  const on = !!cell && Number(cell.quantity) > 0;
                  return (
                    <td key={tier.code} className={clsx("px-2 py-1.5", on ? "bg-accent-50/60" : "")}>
                      <div className="flex gap-1">
                        <input
                          aria-label={t("cellValue", { right: name(r.name, r.code), tier: name(tier.name, tier.code) })}
                          data-row={row}
                          data-col={col}
                          data-field="value"
                          data-testid={`cell-${tier.code}-${r.code}-value`}
                          className={clsx(inputClasses(), "h-8 w-0! min-w-0 flex-1 px-2")}
                          value={cell?.value ?? ""}
                          placeholder="—"
                          readOnly={readOnly}
                          onKeyDown={moveFocus}
                          onBlur={(e) => leave(tier.code, r.code, e.relatedTarget)}
                          onChange={(e) => update(tier.code, r.code, { value: e.target.value || null })}
                        />
                        <input
                          type="number"
                          min={0}
                          max={100}
                          aria-label={t("cellQuantity", { right: name(r.name, r.code), tier: name(tier.name, tier.code) })}
                          data-row={row}
                          data-col={col}
                          data-field="quantity"
                          data-testid={`cell-${tier.code}-${r.code}-quantity`}
                          className={clsx(inputClasses(), "h-8 w-14! flex-none px-2 tabular-nums")}
                          value={cell ? cell.quantity : 0}
                          readOnly={readOnly}
                          onKeyDown={moveFocus}
                          onBlur={(e) => leave(tier.code, r.code, e.relatedTarget)}
                          onChange={(e) => update(tier.code, r.code, { quantity: Math.max(0, Math.min(100, Math.trunc(Number(e.target.value) || 0))) })}
                        />
                      </div>
                      {i >= 0 ? <ErrorText name={`matrix.${i}`} /> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="bg-gray-50">
              <th scope="row" className="py-3 pr-3 pl-5 text-left text-xs font-medium text-gray-600">
                {t("costPerMember")}
              </th>
              {tiers.map((tier) => (
                <td key={tier.code} className="px-2 py-3 text-sm font-semibold text-gray-900 tabular-nums" data-testid={`tier-cost-${tier.code}`}>
                  {yuan(Math.round(costs[tier.code]?.perMemberMonth ?? 0), locale)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="px-5 py-3 text-xs text-gray-500">{t("costNote")}</p>
    </Card>
  );
}

export function RightsEditor() {
  return (
    <div className="space-y-6">
      <Matrix />
      <PreviewPanel />
      <Catalogue />
    </div>
  );
}

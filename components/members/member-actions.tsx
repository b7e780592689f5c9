"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/api/action";
import { adjustMemberAction } from "@/lib/actions/adjust-member";
import { grantMemberRightAction } from "@/lib/actions/grant-member-right";
import { setMemberTierAction } from "@/lib/actions/set-member-tier";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, Input, Select } from "@/components/ui/field";
import { useHydrated } from "@/components/forms/use-hydrated";

type Tab = "adjust" | "grant" | "tier";
type Option = { code: string; label: string };

/** Operator actions on one member; each goes through the engine and writes one audit row. */
export function MemberActions({ memberId, currentTier, tiers, rights }: { memberId: string; currentTier: string; tiers: Option[]; rights: Option[] }) {
  const t = useTranslations("memberDetail.actions");
  const [tab, setTab] = useState<Tab>("adjust");
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<{ form?: string; fields: Record<string, string> }>({ fields: {} });
  const [done, setDone] = useState<string | null>(null);
  const router = useRouter();
  const hydrated = useHydrated();

  function submit<T>(e: FormEvent<HTMLFormElement>, run: (f: FormData) => Promise<ActionResult<T>>, ok: string) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setDone(null);
    startTransition(async () => {
      const res = await run(data);
      if (!res.ok) {
        setErrors({ form: Object.keys(res.error.fieldErrors).length ? undefined : res.error.message, fields: res.error.fieldErrors });
        return;
      }
      setErrors({ fields: {} });
      form.reset();
      setDone(ok);
      router.refresh();
    });
  }
  const s = (f: FormData, k: string) => String(f.get(k) ?? "");
  const reason = (id: string) => (
    <Field id={`${id}-reason`} label={t("reason")} error={errors.fields.reason} hint={t("reasonHint")}>
      <Input id={`${id}-reason`} name="reason" required minLength={2} maxLength={200} invalid={!!errors.fields.reason} />
    </Field>
  );

  return (
    <div className="px-5 py-4">
      <div role="tablist" aria-label={t("heading")} className="mb-4 flex gap-1 rounded-lg bg-gray-100 p-1 text-sm">
        {(["adjust", "grant", "tier"] as const).map((x) => (
          <button
            key={x}
            role="tab"
            type="button"
            aria-selected={tab === x}
            onClick={() => {
              setTab(x);
              setErrors({ fields: {} });
              setDone(null);
            }}
            className={`flex-1 rounded-md px-3 py-1.5 font-medium ${tab === x ? "bg-white text-gray-900 shadow-xs" : "text-gray-600 hover:text-gray-900"}`}
          >
            {t(`tabs.${x}`)}
          </button>
        ))}
      </div>
      {errors.form ? <FormAlert>{errors.form}</FormAlert> : null}
      {tab === "adjust" ? (
        <form
          data-testid="adjust-form"
          className="grid gap-4 md:grid-cols-[10rem_10rem_1fr_auto] md:items-start"
          onSubmit={(e) => submit(e, (f) => adjustMemberAction({ memberId, measure: s(f, "measure") as "points" | "growth", delta: Number(s(f, "delta")), reason: s(f, "reason") }), t("adjusted"))}
        >
          <Field id="adjust-measure" label={t("measure")}>
            <Select id="adjust-measure" name="measure" defaultValue="points">
              <option value="points">{t("measures.points")}</option>
              <option value="growth">{t("measures.growth")}</option>
            </Select>
          </Field>
          <Field id="adjust-delta" label={t("delta")} error={errors.fields.delta} hint={t("deltaHint")}>
            <Input id="adjust-delta" name="delta" inputMode="numeric" required invalid={!!errors.fields.delta} />
          </Field>
          {reason("adjust")}
          <Button type="submit" className="md:mt-6" disabled={pending || !hydrated}>
            {t("adjustSubmit")}
          </Button>
        </form>
      ) : tab === "grant" ? (
        <form data-testid="grant-form" className="grid gap-4 md:grid-cols-[16rem_1fr_auto] md:items-start" onSubmit={(e) => submit(e, (f) => grantMemberRightAction({ memberId, rightCode: s(f, "rightCode"), reason: s(f, "reason") }), t("granted"))}>
          <Field id="grant-right" label={t("right")} error={errors.fields.rightCode}>
            <Select id="grant-right" name="rightCode">
              {rights.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label}
                </option>
              ))}
            </Select>
          </Field>
          {reason("grant")}
          <Button type="submit" className="md:mt-6" disabled={pending || !hydrated}>
            {t("grantSubmit")}
          </Button>
        </form>
      ) : (
        <form data-testid="tier-form" className="space-y-3" onSubmit={(e) => submit(e, (f) => setMemberTierAction({ memberId, tierCode: s(f, "tierCode"), reason: s(f, "reason") }), t("tierSet"))}>
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">{t("tierExplain")}</p>
          <div className="grid gap-4 md:grid-cols-[16rem_1fr_auto] md:items-start">
            <Field id="tier-code" label={t("tier")} error={errors.fields.tierCode}>
              <Select id="tier-code" name="tierCode" defaultValue={tiers.find((x) => x.code !== currentTier)?.code}>
                {tiers.map((x) => (
                  <option key={x.code} value={x.code} disabled={x.code === currentTier}>
                    {x.label}
                  </option>
                ))}
              </Select>
            </Field>
            {reason("tier")}
            <Button type="submit" className="md:mt-6" disabled={pending || !hydrated}>
              {t("tierSubmit")}
            </Button>
          </div>
        </form>
      )}
      <p role="status" className="mt-3 text-sm text-emerald-700 empty:hidden">
        {done}
      </p>
    </div>
  );
}

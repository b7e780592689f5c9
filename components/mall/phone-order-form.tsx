"use client";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { placeMallOrderAction } from "@/lib/actions/place-mall-order";
import type { MallItemAnswer } from "@/lib/schemas/mall";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { useHydrated } from "@/components/forms/use-hydrated";

/** The member page: an operator orders a mall item for the member (a phone or in-store order). */
export function PhoneOrderForm({ memberId, items }: { memberId: string; items: MallItemAnswer[] }) {
  const t = useTranslations("mall.phoneOrder");
  const locale = useLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const [itemId, setItemId] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();
  const name = (i: MallItemAnswer) => (locale === "en" ? i.nameEn : i.name);
  const chosen = items.find((i) => i.itemId === itemId);

  return (
    <form
      className="flex flex-wrap items-end gap-3 px-5 py-4"
      data-testid="phone-order-form"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const res = await placeMallOrderAction({ memberId, itemId, quantity: Number(quantity) });
          if (!res.ok) {
            setErrors(res.error.fieldErrors);
            return setStatus({ tone: "error", text: res.error.message });
          }
          setErrors({});
          setStatus({ tone: "ok", text: t("done", { name: chosen ? name(chosen) : itemId, quantity: res.data.quantity, points: res.data.points }) });
          router.refresh();
        });
      }}
    >
      <div className="w-64">
        <Field id="phone-order-item" label={t("item")} error={errors.itemId}>
          <Select id="phone-order-item" value={itemId} onChange={(e) => setItemId(e.target.value)} required invalid={!!errors.itemId}>
            <option value="">{t("choose")}</option>
            {items.map((i) => (
              <option key={i.itemId} value={i.itemId} disabled={!i.eligible}>
                {`${name(i)} · ${i.points}${i.eligible ? "" : ` (${t(`reason.${i.reason ?? "not_eligible"}`)})`}`}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="w-24">
        <Field id="phone-order-quantity" label={t("quantity")} error={errors.quantity}>
          <Input id="phone-order-quantity" inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} invalid={!!errors.quantity} />
        </Field>
      </div>
      <Button type="submit" disabled={!hydrated || pending || !itemId}>
        {pending ? t("pending") : t("submit")}
      </Button>
      <p role="status" className={status?.tone === "error" ? "w-full text-sm text-red-600" : "w-full text-sm text-emerald-700 empty:hidden"}>
        {status?.text}
      </p>
    </form>
  );
}

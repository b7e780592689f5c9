"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setMallOrderStatusAction } from "@/lib/actions/set-mall-order-status";
import { cancelMallOrderAction } from "@/lib/actions/cancel-mall-order";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/forms/use-hydrated";

type Step = "shipped" | "picked_up" | "cancel";

/** A placed order's actions: goods marked shipped or picked up with a note; any order cancelled. */
export function OrderActions({ orderId, goods }: { orderId: string; goods: boolean }) {
  const t = useTranslations("mall.orders");
  const router = useRouter();
  const hydrated = useHydrated();
  const [step, setStep] = useState<Step | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (!step)
    return (
      <div className="flex flex-wrap justify-end gap-1.5">
        {goods ? (
          <>
            <Button size="sm" variant="secondary" disabled={!hydrated} onClick={() => setStep("shipped")} data-testid={`ship-${orderId}`}>
              {t("markShipped")}
            </Button>
            <Button size="sm" variant="secondary" disabled={!hydrated} onClick={() => setStep("picked_up")} data-testid={`pickup-${orderId}`}>
              {t("markPickedUp")}
            </Button>
          </>
        ) : null}
        <Button size="sm" variant="ghost" className="text-red-700" disabled={!hydrated} onClick={() => setStep("cancel")} data-testid={`cancel-${orderId}`}>
          {t("cancelOrder")}
        </Button>
      </div>
    );
  return (
    <form
      className="flex flex-wrap items-start justify-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const res = step === "cancel" ? await cancelMallOrderAction({ orderId }) : await setMallOrderStatusAction({ orderId, status: step, note });
          if (!res.ok) return setError(Object.values(res.error.fieldErrors)[0] ?? res.error.message);
          setStep(null);
          router.refresh();
        });
      }}
    >
      {step !== "cancel" ? (
        <>
          <label htmlFor={`note-${orderId}`} className="sr-only">
            {t("note")}
          </label>
          <input id={`note-${orderId}`} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("note")} maxLength={200} className="h-8 w-44 rounded-md border border-gray-300 px-2 text-sm" />
        </>
      ) : null}
      <Button size="sm" variant={step === "cancel" ? "danger" : "primary"} type="submit" disabled={pending} data-testid={`confirm-${orderId}`}>
        {step === "cancel" ? t("cancelConfirm") : t("confirm")}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setStep(null)}>
        {t("back")}
      </Button>
      {error ? (
        <p role="alert" className="w-full text-right text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </form>
  );
}

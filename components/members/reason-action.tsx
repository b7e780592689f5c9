"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { releaseHoldAction } from "@/lib/actions/release-hold";
import { voidRightAction } from "@/lib/actions/void-right";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/forms/use-hydrated";

type Props = { kind: "release"; memberId: string; holdId: string } | { kind: "void"; memberId: string; grantId: string };

/** A row action that needs a reason (release a checkout hold, void a coupon): asks for it inline, then confirms. */
export function ReasonAction(props: Props) {
  const t = useTranslations("checkout.action");
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const router = useRouter();
  const id = `${props.kind}-${props.kind === "release" ? props.holdId : props.grantId}`;

  if (!open)
    return (
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)} disabled={!hydrated} data-testid={`${id}-open`}>
        {t(props.kind)}
      </Button>
    );
  return (
    <form
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const res = props.kind === "release" ? await releaseHoldAction({ memberId: props.memberId, holdId: props.holdId, reason }) : await voidRightAction({ memberId: props.memberId, grantId: props.grantId, reason });
          if (!res.ok) return setError(res.error.fieldErrors.reason ?? res.error.fieldErrors.grantId ?? res.error.message);
          setOpen(false);
          router.refresh();
        });
      }}
    >
      <label htmlFor={`${id}-reason`} className="sr-only">
        {t("reason")}
      </label>
      <input
        id={`${id}-reason`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t("reason")}
        required
        minLength={2}
        maxLength={200}
        aria-invalid={!!error}
        className="h-8 w-44 rounded-md border border-gray-300 px-2 text-sm"
      />
      <Button size="sm" variant="danger" type="submit" disabled={pending}>
        {t(`${props.kind}Confirm`)}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setOpen(false)}>
        {t("cancel")}
      </Button>
      {error ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </form>
  );
}

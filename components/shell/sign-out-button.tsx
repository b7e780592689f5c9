"use client";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { icons } from "@/components/ui/icons";

export function SignOutButton() {
  const t = useTranslations("shell");
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function onClick() {
    setPending(true);
    // No redirect from next-auth: its callback URL depends on NEXTAUTH_URL, the router does not.
    await signOut({ redirect: false });
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <Button variant="ghost" size="sm" onClick={onClick} disabled={pending} title={t("signOut")}>
      <icons.signOut className="size-4" />
      <span className="sr-only md:not-sr-only">{pending ? t("signingOut") : t("signOut")}</span>
    </Button>
  );
}

import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Actor } from "@/lib/auth/actor";
import { buttonClasses } from "@/components/ui/button";
import { icons } from "@/components/ui/icons";

/** What a signed-in user sees on a page their role may not open (HTTP-wise the page still renders). */
export async function ForbiddenPanel({ actor }: { actor: Actor }) {
  const t = await getTranslations();
  const role = actor.kind === "user" ? t(`roles.${actor.role}`) : "API";
  return (
    <section role="alert" aria-labelledby="forbidden-title" data-testid="forbidden" className="rounded-xl border border-gray-200 bg-white px-6 py-14 text-center shadow-xs">
      <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-amber-50 text-amber-700">
        <icons.lock className="size-6" />
      </div>
      <p className="mt-4 text-xs font-semibold tracking-widest text-gray-400">{t("forbidden.code")}</p>
      <h2 id="forbidden-title" className="mt-1 text-lg font-semibold text-gray-900">
        {t("forbidden.title")}
      </h2>
      <p className="mx-auto mt-1 max-w-md text-sm text-gray-500">{t("forbidden.body", { role })}</p>
      <Link href="/" className={buttonClasses("secondary", "md", "mt-6")}>
        {t("common.backHome")}
      </Link>
    </section>
  );
}

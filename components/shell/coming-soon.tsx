import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { icons } from "@/components/ui/icons";
import { PageHeader } from "./page-header";
import type { AreaKey } from "./areas";

/** The placeholder of an area that a later release fills in. */
export async function ComingSoon({ area }: { area: Exclude<AreaKey, "settings"> }) {
  const t = await getTranslations();
  const Icon = icons[area];
  const name = t(`nav.${area}`);
  return (
    <>
      <PageHeader title={name} description={t(`comingSoon.areas.${area}`)} />
      <section aria-labelledby="coming-soon-title" className="rounded-xl border border-dashed border-gray-300 bg-white px-6 py-14 text-center">
        <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-accent-50 text-accent-600">
          <Icon className="size-6" />
        </div>
        <Badge tone="accent" className="mt-4">
          {t("comingSoon.badge")}
        </Badge>
        <h2 id="coming-soon-title" className="mt-3 text-lg font-semibold text-gray-900">
          {t("comingSoon.title")}
        </h2>
        <p className="mx-auto mt-1 max-w-md text-sm text-gray-500">{t("comingSoon.body", { area: name })}</p>
        <p className="mx-auto mt-4 max-w-md text-sm text-gray-500">
          <Link href="/settings" className="font-medium text-accent-700 underline-offset-4 hover:underline">
            {t("comingSoon.hint")}
          </Link>
        </p>
      </section>
    </>
  );
}

import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClasses } from "@/components/ui/button";

export default async function NotFound() {
  const t = await getTranslations();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold tracking-widest text-accent-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-gray-900">{t("notFound.title")}</h1>
      <p className="mt-2 text-sm text-gray-500">{t("notFound.body")}</p>
      <Link href="/" className={buttonClasses("secondary", "md", "mt-6")}>
        {t("common.backHome")}
      </Link>
    </main>
  );
}

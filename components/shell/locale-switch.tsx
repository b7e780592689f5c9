"use client";
import clsx from "clsx";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { LOCALE_COOKIE, locales } from "@/i18n/config";

function rememberLocale(locale: string) {
  document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
}

/** 中文 / English: the choice is a cookie the server reads on every request (no locale in URLs). */
export function LocaleSwitch({ className }: { className?: string }) {
  const t = useTranslations("locale");
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function choose(locale: string) {
    if (locale === current) return;
    rememberLocale(locale);
    startTransition(() => router.refresh());
  }

  return (
    <div role="group" aria-label={t("label")} aria-busy={pending || undefined} className={clsx("inline-flex rounded-md bg-gray-100 p-0.5 text-xs font-medium", className)}>
      {locales.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          aria-pressed={locale === current}
          onClick={() => choose(locale)}
          className={clsx("rounded px-2.5 py-1 transition-colors", locale === current ? "bg-white text-gray-900 shadow-xs" : "text-gray-500 hover:text-gray-900")}
        >
          {t(locale)}
        </button>
      ))}
    </div>
  );
}

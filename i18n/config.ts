/** Locales the UI speaks. No locale in the URL: the choice lives in the NEXT_LOCALE cookie. */
export const locales = ["zh-CN", "en"] as const;
export type AppLocale = (typeof locales)[number];
export const defaultLocale: AppLocale = "zh-CN";
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** Business dates are shown in the merchant's zone; until a page knows the merchant, the default one. */
export const defaultTimeZone = "Asia/Shanghai";

export function isLocale(value: unknown): value is AppLocale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

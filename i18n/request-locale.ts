import { defaultLocale, isLocale, LOCALE_COOKIE, type AppLocale } from "./config";

/**
 * The caller's language for an API answer: the console's locale cookie when signed in, else the
 * first Accept-Language we speak (zh… → zh-CN, en… → en), else the default (zh-CN).
 */
export function requestLocale(request: Request): AppLocale {
  const cookie = request.headers.get("cookie") ?? "";
  const m = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]+)`).exec(cookie);
  if (m && isLocale(decodeURIComponent(m[1]))) return decodeURIComponent(m[1]) as AppLocale;
  for (const part of (request.headers.get("accept-language") ?? "").split(",")) {
    const tag = part.split(";")[0].trim().toLowerCase();
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return defaultLocale;
}

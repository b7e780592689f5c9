import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { defaultLocale, defaultTimeZone, isLocale, LOCALE_COOKIE } from "./config";
import { messages } from "@/messages";

export default getRequestConfig(async () => {
  const requested = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(requested) ? requested : defaultLocale;
  return {
    locale,
    timeZone: defaultTimeZone,
    messages: messages[locale],
  };
});

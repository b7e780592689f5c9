import { describe, expect, it } from "vitest";
import { requestLocale } from "@/i18n/request-locale";

const req = (headers: Record<string, string>) => new Request("http://x/api/v1/members/M1/ledger", { headers });

describe("the caller's language for API answers", () => {
  it.each([
    [{}, "zh-CN"],
    [{ "accept-language": "en-US,en;q=0.9" }, "en"],
    [{ "accept-language": "fr-FR, en;q=0.5" }, "en"],
    [{ "accept-language": "zh-TW" }, "zh-CN"],
    [{ "accept-language": "fr" }, "zh-CN"],
    [{ cookie: "a=1; NEXT_LOCALE=en", "accept-language": "zh-CN" }, "en"],
    [{ cookie: "NEXT_LOCALE=xx", "accept-language": "en" }, "en"],
  ])("%j → %s", (headers, locale) => expect(requestLocale(req(headers))).toBe(locale));
});

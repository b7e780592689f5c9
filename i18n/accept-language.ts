import type { AppLocale } from "./config";

/**
 * The locale an API caller asked for in Accept-Language: the first tag by quality that is Chinese
 * or English. Without one the API answers in English, as it always has (machine callers read
 * `code` and `path`; `message` is for the person reading the log).
 */
export function localeOfAcceptLanguage(header: string | null | undefined): AppLocale {
  if (!header) return "en";
  const tags = header
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of tags) {
    if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return "en";
}

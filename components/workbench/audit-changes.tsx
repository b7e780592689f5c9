import { getLocale, getTranslations } from "next-intl/server";
import { defaultLocale, isLocale } from "@/i18n/config";
import { fieldWord } from "@/i18n/program-labels";
import { canonical, describeProgramChanges } from "@/lib/program/describe-changes";

export { canonical };

function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Leaf paths whose values differ between two JSON values (arrays compared as wholes past depth 3). */
export function changedPaths(before: unknown, after: unknown, path = "", depth = 0): { path: string; before: unknown; after: unknown }[] {
  if (canonical(before) === canonical(after)) return [];
  const isObj = (v: unknown) => typeof v === "object" && v !== null;
  if (depth < 3 && isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before as object), ...Object.keys(after as object)])];
    return keys.flatMap((k) => changedPaths((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1));
  }
  return [{ path, before, after }];
}

const show = (v: unknown) => (v === undefined || v === null ? "—" : typeof v === "string" ? v : canonical(v));

/**
 * An audit row's before → after in words: a program save as its changes grouped by section, each
 * item named ("金卡会员 · 9折券 · 数量 2 → 3"); other rows as their changed fields by label. The
 * stored JSON stays behind a disclosure for support.
 */
export async function AuditChanges({ entity, before, after }: { entity: string; before: string | null; after: string | null }) {
  const t = await getTranslations("auditWords");
  const l = await getLocale();
  const locale = isLocale(l) ? l : defaultLocale;
  const b = parse(before);
  const a = parse(after);
  const groups =
    entity === "program"
      ? describeProgramChanges(b, a, locale)
      : [{ section: "", lines: changedPaths(b, a).map((c) => `${c.path ? c.path.split(".").map((s) => fieldWord(s, locale)).join(" · ") + " " : ""}${show(c.before)} → ${show(c.after)}`) }].filter((g) => g.lines.length);
  const total = groups.reduce((n, g) => n + g.lines.length, 0);
  // The first 12 lines, cut across groups.
  const shown = groups.map((g, i) => {
    const before = groups.slice(0, i).reduce((n, x) => n + x.lines.length, 0);
    return { section: g.section, lines: g.lines.slice(0, Math.max(0, 12 - before)) };
  });
  return (
    <div className="space-y-1">
      <div className="space-y-1 text-xs" data-testid="audit-changes">
        {shown.map(({ section, lines }) =>
          lines.length ? (
            <div key={section}>
              {section ? <p className="font-medium text-gray-700">{section}</p> : null}
              <ul className="space-y-0.5">
                {lines.map((line, i) => (
                  <li key={i} className="break-words text-gray-800">
                    {line}
                  </li>
                ))}
              </ul>
            </div>
          ) : null,
        )}
        {total > 12 ? <p className="text-gray-500">{t("more", { count: total - 12 })}</p> : null}
        {total === 0 ? <p className="text-gray-400">{t("noChange")}</p> : null}
      </div>
      <details className="text-xs">
        <summary className="cursor-pointer text-accent-700">{t("full")}</summary>
        <div className="mt-1 grid gap-2 md:grid-cols-2">
          <pre className="max-h-64 overflow-auto rounded bg-gray-50 p-2">{before ? JSON.stringify(b, null, 2) : "—"}</pre>
          <pre className="max-h-64 overflow-auto rounded bg-gray-50 p-2">{after ? JSON.stringify(a, null, 2) : "—"}</pre>
        </div>
      </details>
    </div>
  );
}

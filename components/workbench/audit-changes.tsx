import { getTranslations } from "next-intl/server";

function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** JSON with object keys sorted, so key order (jsonb reorders keys) never reads as a change. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object" && v !== null)
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "undefined";
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

const show = (v: unknown) => (v === undefined ? "—" : canonical(v));

/** An audit row's before → after, as the changed fields, with the full JSON behind a disclosure. */
export async function AuditChanges({ before, after }: { before: string | null; after: string | null }) {
  const t = await getTranslations("workbench.audit");
  const b = parse(before);
  const a = parse(after);
  const changes = changedPaths(b, a);
  return (
    <div className="space-y-1">
      <ul className="space-y-0.5 text-xs">
        {changes.slice(0, 8).map((c) => (
          <li key={c.path} className="font-mono break-all">
            <span className="text-gray-500">{c.path || t("value")}</span>: <span className="text-red-700 line-through decoration-red-300">{show(c.before).slice(0, 120)}</span> →{" "}
            <span className="text-emerald-700">{show(c.after).slice(0, 120)}</span>
          </li>
        ))}
        {changes.length > 8 ? <li className="text-gray-500">{t("more", { count: changes.length - 8 })}</li> : null}
        {changes.length === 0 ? <li className="text-gray-400">{t("noChange")}</li> : null}
      </ul>
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

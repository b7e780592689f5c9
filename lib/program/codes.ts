import { pinyin } from "pinyin-pro";

/** What a code may be (lib/schemas/program.ts): a lowercase letter, then letters, digits, _ or -, at most 40. */
const MAX = 40;

/**
 * A code for an item the operator named only in Chinese: the pinyin of its name, syllables joined by
 * "_" ("金卡会员" → "jin_ka_hui_yuan", "9折券" → "x9_zhe_quan"), else the English name as a slug,
 * else `fallback`; made unique among `taken` with a numeric suffix ("_2", "_3", …). Adds it to `taken`.
 */
export function codeFromName(name: { zh?: string | null; en?: string | null }, taken: Set<string>, fallback: string): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
  const zh = (name.zh ?? "").trim();
  const fromZh = zh ? slug(pinyin(zh, { toneType: "none", type: "array", nonZh: "consecutive", v: true }).join("_")) : "";
  let base = fromZh || slug(name.en ?? "") || fallback;
  if (!/^[a-z]/.test(base)) base = `x${base}`;
  base = base.slice(0, MAX - 4).replace(/_+$/, "");
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
  taken.add(code);
  return code;
}

import type { MessageLocale, MessageTemplate, TemplateVariable } from "@/lib/schemas/messages";

/** A message's variables; null where the occasion does not know one (see lib/schemas/program.ts). */
export type MessageVariables = Record<TemplateVariable, string | number | null>;

const memberFallback: Record<MessageLocale, string> = { zh: "会员", en: "member" };

/**
 * A template's text for a member in a language, its `{variable}`s replaced. A missing member name
 * reads "会员" / "member"; any other unknown value reads empty. Numbers are plain integers (points).
 */
export function renderMessage(template: Pick<MessageTemplate, "text">, locale: MessageLocale, vars: MessageVariables): string {
  return template.text[locale].replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    if (!(name in vars)) return whole;
    const v = vars[name as TemplateVariable];
    if (v === null || v === "") return name === "memberName" ? memberFallback[locale] : "";
    return String(v);
  });
}

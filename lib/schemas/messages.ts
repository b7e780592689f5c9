import { z } from "zod";
import { safeText } from "./text";

/** Where the shop sends a message (a label: delivery happens through the shop's webhook or outbox reader). */
export const messageChannels = ["sms", "wechat_subscribe", "wecom", "app_push"] as const;
export type MessageChannel = (typeof messageChannels)[number];

/** The variables a template may use, as `{name}`. */
export const templateVariables = ["memberName", "tier", "points", "expiringPoints", "expiresOn", "couponName", "couponCode"] as const;
export type TemplateVariable = (typeof templateVariables)[number];

export const messageLocales = ["zh", "en"] as const;
export type MessageLocale = (typeof messageLocales)[number];

const known = new Set<string>(templateVariables);
/** The `{…}` placeholders of a template text, in order (a lone brace is plain text). */
export const placeholdersOf = (text: string) => [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);

const templateText = safeText()
  .trim()
  .min(1)
  .max(500)
  .superRefine((text, ctx) => {
    for (const name of placeholdersOf(text))
      if (!known.has(name)) ctx.addIssue({ code: "custom", message: `unknown variable {${name}}; use ${templateVariables.map((v) => `{${v}}`).join(" ")}`, params: { reason: "unknownVariable", name, allowed: templateVariables.map((v) => `{${v}}`).join(" ") } });
  });

export const messageTemplate = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, "lowercase letters, digits, _ or -, starting with a letter (max 40)"),
  channel: z.enum(messageChannels),
  text: z.object({ zh: templateText, en: templateText }),
});
export type MessageTemplate = z.infer<typeof messageTemplate>;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day as HH:MM (00:00–23:59)");

/** The program's message settings: templates, the per-member frequency cap and quiet hours. */
export const messagingRules = z.object({
  /** The language messages are rendered in (members carry no language of their own yet). */
  defaultLocale: z.enum(messageLocales).default("zh"),
  templates: z.array(messageTemplate).max(50).default([]),
  /** At most `max` messages per member in any `days` × 24 h; null: no cap. */
  frequencyCap: z.object({ max: z.number().int().min(1).max(100), days: z.number().int().min(1).max(365) }).nullable().default(null),
  /** Messages falling from `from` to `to` (the merchant's time zone; may wrap midnight) wait until `to`; null: none. */
  quietHours: z
    .object({ from: clock, to: clock })
    .refine((q) => q.from !== q.to, { message: "the quiet hours must not start and end at the same time", path: ["to"] })
    .nullable()
    .default(null),
});
export type MessagingRules = z.output<typeof messagingRules>;

export const messagingDefault: MessagingRules = { defaultLocale: "zh", templates: [], frequencyCap: null, quietHours: null };

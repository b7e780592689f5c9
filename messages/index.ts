import type { AppLocale } from "@/i18n/config";
import coreZh from "./zh-CN.json";
import coreEn from "./en.json";
import workbenchZh from "./areas/workbench.zh-CN.json";
import workbenchEn from "./areas/workbench.en.json";
import membersZh from "./areas/members.zh-CN.json";
import membersEn from "./areas/members.en.json";
import dashboardsZh from "./areas/dashboards.zh-CN.json";
import dashboardsEn from "./areas/dashboards.en.json";
import checkoutZh from "./areas/checkout.zh-CN.json";
import checkoutEn from "./areas/checkout.en.json";
import backgroundZh from "./areas/background.zh-CN.json";
import backgroundEn from "./areas/background.en.json";
import mallZh from "./areas/mall.zh-CN.json";
import mallEn from "./areas/mall.en.json";
import messagingZh from "./areas/messaging.zh-CN.json";
import messagingEn from "./areas/messaging.en.json";
import webhookEventsZh from "./areas/webhook-events.zh-CN.json";
import webhookEventsEn from "./areas/webhook-events.en.json";
import reasonsZh from "./areas/reasons.zh-CN.json";
import reasonsEn from "./areas/reasons.en.json";
import truthZh from "./areas/truth.zh-CN.json";
import truthEn from "./areas/truth.en.json";
import languageZh from "./areas/language.zh-CN.json";
import languageEn from "./areas/language.en.json";
import membershipZh from "./areas/membership.zh-CN.json";
import membershipEn from "./areas/membership.en.json";

/**
 * Messages per locale: the core file plus one pair of files per product area
 * (messages/areas/<area>.<locale>.json, each holding its own top-level namespaces), so areas don't
 * all edit one shared file. A namespace defined twice is a programming error.
 */
type Messages = Record<string, unknown>;
const areas: [Messages, Messages][] = [
  // [zh-CN, en] per area, e.g. [membersZh, membersEn]
  [workbenchZh, workbenchEn],
  [membersZh, membersEn],
  [dashboardsZh, dashboardsEn],
  [checkoutZh, checkoutEn],
  [backgroundZh, backgroundEn],
  [mallZh, mallEn],
  [messagingZh, messagingEn],
  [webhookEventsZh, webhookEventsEn],
  [reasonsZh, reasonsEn],
  [truthZh, truthEn],
  [languageZh, languageEn],
  [membershipZh, membershipEn],
];

function merge(core: Messages, extra: Messages[]): Messages {
  const out: Messages = { ...core };
  for (const m of extra)
    for (const [k, v] of Object.entries(m)) {
      if (k in out) throw new Error(`message namespace "${k}" is defined twice`);
      out[k] = v;
    }
  return out;
}

export const messages: Record<AppLocale, Messages> = {
  "zh-CN": merge(coreZh, areas.map((a) => a[0])),
  en: merge(coreEn, areas.map((a) => a[1])),
};

import { describe, expect, it } from "vitest";
import { messages } from "@/messages";

const zh = messages["zh-CN"];
const en = messages.en;

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();

describe("UI messages", () => {
  it("zh-CN and en have the same keys", () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it("each message has the same placeholders in both languages", () => {
    const get = (obj: object, key: string) => key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj) as string;
    for (const key of keys(zh)) expect(placeholders(get(en, key)), key).toEqual(placeholders(get(zh, key)));
  });
});

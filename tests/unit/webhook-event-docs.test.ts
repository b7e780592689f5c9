import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/openapi";
import { webhookEventTypes } from "@/lib/schemas/webhooks";
import en from "@/messages/areas/webhook-events.en.json";
import zh from "@/messages/areas/webhook-events.zh-CN.json";

describe("webhook event types in the docs", () => {
  it("the OpenAPI document lists every event type of api.md under webhooks, with its data schema", () => {
    const hooks = openApiDocument().webhooks as unknown as Record<string, { post: { requestBody: { content: { "application/json": { schema: { properties: { type: { const: string }; data: { type: string } } } } } } } }>;
    expect(Object.keys(hooks).sort()).toEqual(
      ["member.registered", "member.tier_changed", "points.earned", "points.spent", "points.expired", "points.expiring", "right.issued", "right.redeemed", "message.queued", "hold.expired", "membership.started", "membership.ended", "wallet.changed"].sort(),
    );
    for (const [type, h] of Object.entries(hooks)) {
      const s = h.post.requestBody.content["application/json"].schema;
      expect([type, s.properties.type.const, s.properties.data.type]).toEqual([type, type, "object"]);
    }
  });

  it("the webhook settings picker has a zh and an en label for every type", () => {
    const key = (t: string) => t.replace(".", "_");
    const labels = (m: { webhookEvents: Record<string, string> }) => webhookEventTypes.map((t) => m.webhookEvents[key(t)] ?? null);
    expect(labels(en).filter((x) => !x)).toEqual([]);
    expect(labels(zh).filter((x) => !x)).toEqual([]);
    expect(Object.keys(en.webhookEvents).sort()).toEqual(Object.keys(zh.webhookEvents).sort());
  });
});

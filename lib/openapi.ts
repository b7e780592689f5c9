import { z } from "zod";
import { eventInput, eventsResponse, redemptionInput, periodJobInput, MAX_BATCH } from "@/lib/schemas/events";
import { programInput } from "@/lib/schemas/program";
import { checkoutAnswer, holdAnswer, holdInput } from "@/lib/schemas/checkout";
import { mallItemAnswer, mallItemInput, mallItemsImport, mallOrderAnswer, mallOrderInput } from "@/lib/schemas/mall";
import { errorCodes } from "@/lib/errors";
import { outboxPage, outboxQuery } from "@/lib/schemas/outbox";
import { webhookCreatedOut, webhookEventTypes, webhookInput, webhookListOut } from "@/lib/schemas/webhooks";
import { webhookEventData, webhookEventSummaries } from "@/lib/schemas/webhook-events";

// OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod 4 emits itself: the document is built
// from the very schemas the handlers parse with, so the two cannot drift.
const schema = (s: z.ZodType, io: "input" | "output" = "input") => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: errorCodes },
        message: { type: "string" },
        issues: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
      },
    },
  },
};
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: String(c), content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]));
const json = (ref: string) => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
/** Query parameters from a query's zod object: one per property, with its JSON Schema. */
const queryParameters = (s: z.ZodObject) => {
  const js = schema(s) as { properties: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(js.properties).map(([name, p]) => ({ name, in: "query", required: js.required?.includes(name) ?? false, schema: p }));
};
const memberIdParam = { name: "memberId", in: "path", required: true, schema: { type: "string" } };

export const metricNames = ["tier-distribution", "tier-changes", "rights-usage", "rights-cost", "member-roi", "repurchase", "arpu", "revenue-share", "lifecycle", "points", "retention", "rfm", "wallet", "mall", "memberships"];

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "会员运营台 Membership program console API", version: "1.0.0", description: "Events in; points, growth, tiers and rights out. Money in fen, rates as decimals." },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key created by an owner (Settings → API keys)." } },
      schemas: {
        Error: error,
        Event: schema(eventInput),
        EventBatch: { type: "object", required: ["events"], properties: { events: { type: "array", maxItems: MAX_BATCH, items: { $ref: "#/components/schemas/Event" } } } },
        EventsResponse: schema(eventsResponse, "output"),
        Redemption: schema(redemptionInput),
        PeriodJob: schema(periodJobInput),
        Program: schema(programInput),
        CheckoutQuote: schema(checkoutAnswer, "output"),
        HoldRequest: schema(holdInput),
        Hold: schema(holdAnswer, "output"),
        OutboxPage: schema(outboxPage, "output"),
        WebhookEndpoint: schema(webhookInput),
        WebhookCreated: schema(webhookCreatedOut, "output"),
        WebhookList: schema(webhookListOut, "output"),
        MallItemInput: schema(mallItemInput),
        MallItem: schema(mallItemAnswer, "output"),
        MallItemsImport: schema(mallItemsImport),
        MallOrderRequest: schema(mallOrderInput),
        MallOrder: schema(mallOrderAnswer, "output"),
      },
    },
    paths: {
      "/api/v1/events": {
        post: {
          summary: "Send one event or a batch of up to 1000",
          requestBody: { required: true, content: { "application/json": { schema: { oneOf: [{ $ref: "#/components/schemas/Event" }, { $ref: "#/components/schemas/EventBatch" }] } } } },
          responses: { "200": { description: "One result per event, in input order", ...json("EventsResponse") }, ...errors(400, 401, 403, 413) },
        },
      },
      "/api/v1/members/{memberId}": {
        get: {
          summary: "A member's state: tier, points, stored value, paid-membership cards (memberships)",
          description:
            "`points.nextExpiry` is the next lot to expire: `validThrough`, the last business day its points can be used (they expire at the end of it), and its points; `points.expiryRule` states the rule in the caller's language.",
          parameters: [memberIdParam],
          responses: { "200": { description: "The member" }, ...errors(401, 404) },
        },
      },
      "/api/v1/members/{memberId}/ledger": {
        get: {
          summary: "Points ledger, newest first",
          description:
            "Each entry carries `reasonCode` and `reasonParams` (null for an old row no code is known for) and `reason`, the text in the caller's language: the console's locale cookie, else Accept-Language (zh or en), else zh-CN.",
          parameters: [memberIdParam, { name: "cursor", in: "query", schema: { type: "string" } }, { name: "limit", in: "query", schema: { type: "integer", maximum: 200 } }],
          responses: { "200": { description: "{ entries: [{ id, delta, debtDelta, kind, source, rule, reasonCode, reasonParams, reason, programVersion, occurredAt, businessDate }], nextCursor }" }, ...errors(400, 401, 404) },
        },
      },
      "/api/v1/members/{memberId}/rights": {
        get: { summary: "Right instances held", parameters: [memberIdParam], responses: { "200": { description: "{ rights: [{ grantId, right, issuedAt, expiresAt, redeemedAt }] }" }, ...errors(401, 404) } },
      },
      "/api/v1/members/{memberId}/redemptions": {
        post: {
          summary: "Spend points (oldest-expiring first); id is an idempotency key",
          parameters: [memberIdParam],
          requestBody: { required: true, ...json("Redemption") },
          responses: { "201": { description: "Spent" }, "200": { description: "The same request again" }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/members/{memberId}/checkout": {
        get: {
          summary: "What the member may use on an order: points as cash (maxUsable), coupons with their discounts, stored value",
          parameters: [memberIdParam, { name: "amount", in: "query", required: true, schema: { type: "integer", minimum: 1, maximum: 1_000_000_000 }, description: "The order amount in fen" }],
          responses: { "200": { description: "The quote", ...json("CheckoutQuote") }, ...errors(400, 401, 404) },
        },
      },
      "/api/v1/members/{memberId}/holds": {
        post: {
          summary: "Hold points, coupons and stored value for an order while the customer pays; id is an idempotency key",
          parameters: [memberIdParam],
          requestBody: { required: true, ...json("HoldRequest") },
          responses: { "201": { description: "Held", ...json("Hold") }, "200": { description: "The same request again", ...json("Hold") }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/holds/{holdId}/confirm": {
        post: {
          summary: "Spend what the hold set aside (idempotent; a released or expired hold → 409 hold_closed)",
          parameters: [{ name: "holdId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "Confirmed", ...json("Hold") }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/holds/{holdId}/release": {
        post: {
          summary: "Give back what the hold set aside (idempotent; a confirmed hold → 409 hold_closed)",
          parameters: [{ name: "holdId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "Released", ...json("Hold") }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/members/{memberId}/wallet-ledger": {
        get: {
          summary: "Stored-value ledger, newest first: signed principal and bonus changes with the balances after",
          parameters: [memberIdParam, { name: "cursor", in: "query", schema: { type: "string" } }, { name: "limit", in: "query", schema: { type: "integer", maximum: 200 } }],
          responses: { "200": { description: "{ entries: [{ id, at, type, source, principal, bonus, principalAfter, bonusAfter }], nextCursor }" }, ...errors(400, 401, 404) },
        },
      },
      "/api/v1/mall/items": {
        get: {
          summary: "Active points-mall items; with memberId each says whether the member can order one (eligible) and why not (reason)",
          parameters: [{ name: "memberId", in: "query", schema: { type: "string" } }],
          responses: { "200": { description: "{ items: [...] }", content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: { $ref: "#/components/schemas/MallItem" } } } } } } }, ...errors(400, 401, 404) },
        },
        post: { summary: "Create an item (kind membership is refused until paid-membership plans exist)", requestBody: { required: true, ...json("MallItemInput") }, responses: { "201": { description: "Created", ...json("MallItem") }, ...errors(400, 401, 403, 409) } },
      },
      "/api/v1/mall/items/{itemId}": {
        get: { summary: "One item", parameters: [{ name: "itemId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "The item", ...json("MallItem") }, ...errors(401, 404) } },
        put: { summary: "Replace an item (audited, stock before and after)", parameters: [{ name: "itemId", in: "path", required: true, schema: { type: "string" } }], requestBody: { required: true, ...json("MallItemInput") }, responses: { "200": { description: "Saved", ...json("MallItem") }, ...errors(400, 401, 403, 404) } },
        delete: { summary: "Delete an item never ordered; an ordered one is deactivated", parameters: [{ name: "itemId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "{ itemId, deleted, active }" }, ...errors(401, 403, 404) } },
      },
      "/api/v1/mall/export": {
        get: { summary: "Every item, in the import's shape", responses: { "200": { description: "{ items }", ...json("MallItemsImport") }, ...errors(401) } },
      },
      "/api/v1/mall/import": {
        post: { summary: "Create or replace items (all validated first)", requestBody: { required: true, ...json("MallItemsImport") }, responses: { "200": { description: "{ imported }" }, ...errors(400, 401, 403) } },
      },
      "/api/v1/members/{memberId}/mall-orders": {
        post: {
          summary: "Order a points-mall item (the shop has collected the cash part); id is an idempotency key. 409 out_of_stock, limit_reached, not_eligible, insufficient_points change nothing",
          parameters: [memberIdParam],
          requestBody: { required: true, ...json("MallOrderRequest") },
          responses: { "201": { description: "Placed", ...json("MallOrder") }, "200": { description: "The same request again", ...json("MallOrder") }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/api/v1/mall-orders/{id}/cancel": {
        post: {
          summary: "Cancel an order: points back to their lots (not those of lots expired since), stock back, unused rights voided (a used one → 409 conflict). Idempotent",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "Cancelled", ...json("MallOrder") }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/program": {
        get: { summary: "The whole program", responses: { "200": { description: "The program", ...json("Program") }, ...errors(401) } },
        put: { summary: "Replace the program (validated as a whole)", requestBody: { required: true, ...json("Program") }, responses: { "200": { description: "Saved as a new version" }, ...errors(400, 401, 403) } },
      },
      "/api/v1/jobs/period": {
        post: { summary: "Run the period job up to asOf", requestBody: { required: true, ...json("PeriodJob") }, responses: { "200": { description: "Days run" }, ...errors(400, 401, 403) } },
      },
      "/api/v1/outbox": {
        get: {
          summary: "Automation messages in the order committed; reading removes nothing (poll from nextCursor)",
          parameters: queryParameters(outboxQuery),
          responses: { "200": { description: "A page of messages and the cursor to read after", ...json("OutboxPage") }, ...errors(400, 401, 403) },
        },
      },
      "/api/v1/webhooks": {
        post: {
          summary: "Register a webhook endpoint (owners); deliveries are signed per Standard Webhooks with the secret answered here, and only here",
          requestBody: { required: true, ...json("WebhookEndpoint") },
          responses: { "201": { description: "The endpoint and its secret (whsec_…)", ...json("WebhookCreated") }, ...errors(400, 401, 403) },
        },
        get: { summary: "The webhook endpoints (without their secrets)", responses: { "200": { description: "Endpoints", ...json("WebhookList") }, ...errors(401, 403) } },
      },
      "/api/v1/webhooks/{id}": {
        delete: {
          summary: "Remove a webhook endpoint; its delivery log is kept",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "{ id }" }, ...errors(401, 403, 404) },
        },
      },
      "/api/v1/metrics/{name}": {
        get: {
          summary: "A KPI over business days [from, to]",
          parameters: [
            { name: "name", in: "path", required: true, schema: { type: "string", enum: metricNames } },
            { name: "from", in: "query", required: true, schema: { type: "string", format: "date" } },
            { name: "to", in: "query", required: true, schema: { type: "string", format: "date" } },
            {
              name: "tier",
              in: "query",
              schema: { type: "string" },
              description:
                "A tier code of the program. The tier the member held at the time: flows (spend, discounts, redeemed rights, points issued / redeemed / expired) count when the member held the tier at the flow's time (an order's tier_at_order; a refund under its order's tier); states at the end of a period (tier distribution, lifecycle, points outstanding, RFM) count the members in the tier at the end of the period.",
            },
            { name: "granularity", in: "query", schema: { type: "string", enum: ["day", "week", "month"] } },
          ],
          responses: { "200": { description: "{ name, from, to, series: [{ period, ... }], total }" }, ...errors(400, 401, 404) },
        },
      },
    },
    // What the app POSTs to a shop's endpoints (Standard Webhooks; docs/webhooks.md): one entry per event type.
    webhooks: Object.fromEntries(
      webhookEventTypes.map((type) => [
        type,
        {
          post: {
            summary: webhookEventSummaries[type],
            description: "Signed per Standard Webhooks (headers webhook-id, webhook-timestamp, webhook-signature); verify with the endpoint's secret.",
            requestBody: {
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["type", "timestamp", "data"],
                    properties: { type: { const: type }, timestamp: { type: "string", format: "date-time", description: "When the change was committed" }, data: schema(webhookEventData[type], "output") },
                  },
                },
              },
            },
            responses: { "200": { description: "Any 2xx: received. Anything else, or no answer in 10 s, is retried with backoff." } },
          },
        },
      ]),
    ),
  };
}

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import type { Database, Db } from "@/db/client";
import { jobs, webhookDeliveries } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { ingestEvents } from "@/lib/engine/ingest";
import { JobRunner } from "@/lib/jobs/runner";
import { jobHandlers } from "@/lib/jobs/background";
import { resendDelivery } from "@/lib/webhooks/deliveries";
import { sendTestPing } from "@/lib/webhooks/endpoints";
import { isPrivateAddress } from "@/lib/webhooks/url-check";
import { testDatabases } from "../db";

const current = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: async () => current.db }));
const webhooks$ = await import("@/app/api/v1/webhooks/route");
const webhook$ = await import("@/app/api/v1/webhooks/[id]/route");

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(h: Handler, method: string, key: string, body?: unknown, params: Record<string, string> = {}) {
  const res = await h(new Request("http://test/api/v1/webhooks", { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }), {
    params: Promise.resolve(params),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string; issues?: { path: string }[] } } };
}

/** A shop's receiver on 127.0.0.1: keeps every request, answers 500 to the first attempt of each message. */
interface Received {
  id: string;
  headers: Record<string, string>;
  body: string;
}
const received: Received[] = [];
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const id = String(req.headers["webhook-id"]);
    const first = !received.some((r) => r.id === id);
    received.push({ id, headers: req.headers as Record<string, string>, body });
    res.writeHead(first ? 500 : 200, { "content-type": "text/plain" }).end(first ? "try again later" : "ok");
  });
});
let receiverUrl = "";
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));
afterEach(() => vi.unstubAllEnvs());

describe("webhook URLs", () => {
  it("takes loopback, private, link-local and shared addresses for private, and public ones for public", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"])
      expect([a, isPrivateAddress(a)]).toEqual([a, true]);
    for (const a of ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"]) expect([a, isPrivateAddress(a)]).toEqual([a, false]);
  });
});

describe.each(testDatabases)("webhooks on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  let merchantId: string;
  let key: string;
  let now = Date.now();
  let runner: JobRunner;
  beforeAll(async () => {
    database = await open();
    db = database.db;
    current.db = db;
    merchantId = (await createMerchant(db, { slug: "hooks", name: "Hooks", demoProgram: true })).id;
    key = (await createApiKey(db, merchantId, { name: "shop" })).key;
    runner = new JobRunner({ db, handlers: jobHandlers, now: () => new Date(now), concurrency: 4 });
    received.length = 0;
  });
  afterAll(() => database.close());

  it("refuses loopback and private URLs unless the deployment allows them, and non-http URLs always", async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "");
    for (const url of [receiverUrl, "http://10.0.0.5/hook", "http://[::1]:8080/hook", "ftp://example.com/hook"]) {
      const r = await call(webhooks$.POST as Handler, "POST", key, { url, types: ["message.queued"] });
      expect([url, r.status, r.json.error?.code, r.json.error?.issues?.[0].path]).toEqual([url, 400, "validation_failed", "url"]);
    }
    const noTypes = await call(webhooks$.POST as Handler, "POST", key, { url: "https://example.com/hook", types: [] });
    expect([noTypes.status, noTypes.json.error?.issues?.[0].path]).toEqual([400, "types"]);
  });

  it("signs each delivery per Standard Webhooks, retries a 500 after 5 s with the same id, and logs it", async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
    const created = await call(webhooks$.POST as Handler, "POST", key, { url: receiverUrl, types: ["message.queued"], description: "店铺消息" });
    expect(created.status).toBe(201);
    const secret = String(created.json.secret);
    expect(secret).toMatch(/^whsec_/);
    const endpointId = String(created.json.id);
    const listed = await call(webhooks$.GET as Handler, "GET", key);
    expect(listed.json.endpoints).toEqual([expect.objectContaining({ id: endpointId, url: receiverUrl, types: ["message.queued"], enabled: true })]);
    expect(JSON.stringify(listed.json)).not.toContain(secret);
    now = Date.now() + 10; // after the route queued its work at the real time

    // A ¥1,000 order upgrades the member to silver: the demo's upgrade_welcome queues one tier_upgraded message.
    await ingestEvents(db, merchantId, [
      { id: "r1", type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "M1", data: { name: "张三" } },
      { id: "o1", type: "order.paid", occurredAt: "2026-03-10T10:00:00+08:00", memberId: "M1", data: { orderId: "O1", amount: 100000 } },
    ]);
    await runner.drain();
    expect(received).toHaveLength(1);
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, merchantId));
    expect(delivery).toMatchObject({ state: "pending", attempts: 1, lastStatus: 500, lastResponse: "try again later" });
    now += 4_999;
    await runner.drain();
    expect(received).toHaveLength(1);
    now += 1;
    await runner.drain();
    expect(received).toHaveLength(2);
    expect(received[1].id).toBe(received[0].id);

    const wh = new Webhook(secret);
    for (const r of received) {
      const body = wh.verify(r.body, r.headers) as { type: string; data: { memberId: string; template: string; payload: Record<string, unknown> } };
      expect(body.type).toBe("message.queued");
      expect(body.data).toMatchObject({ memberId: "M1", template: "tier_upgraded", payload: { automation: "upgrade_welcome", tier: "silver" } });
      expect(r.headers["webhook-signature"]).toMatch(/^v1,/);
    }
    // The same request under another secret does not verify.
    expect(() => new Webhook(`whsec_${Buffer.from("another secret of 24 bytes").toString("base64")}`).verify(received[1].body, received[1].headers)).toThrow();

    const [done] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, delivery.id));
    expect(done).toMatchObject({ state: "delivered", attempts: 2, lastStatus: 200, lastResponse: "ok" });
    expect(done.lastDurationMs).toBeGreaterThanOrEqual(0);

    // A test ping (any endpoint, whatever its types), then a re-send of the message from the log.
    await sendTestPing(db, merchantId, endpointId, new Date(now));
    await runner.drain();
    now += 5_000;
    await runner.drain();
    const pings = received.filter((r) => JSON.parse(r.body).type === "webhook.ping");
    expect(pings).toHaveLength(2); // a 500 first, then delivered
    await resendDelivery(db, merchantId, delivery.id, new Date(now));
    await runner.drain();
    expect(received.filter((r) => r.id === delivery.id)).toHaveLength(3);
    expect((await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, delivery.id)))[0]).toMatchObject({ state: "delivered", attempts: 3 });

    // Removed: GET no longer lists it, and nothing more is queued for it.
    expect((await call(webhook$.DELETE as Handler, "DELETE", key, undefined, { id: endpointId })).status).toBe(200);
    expect((await call(webhooks$.GET as Handler, "GET", key)).json.endpoints).toEqual([]);
    await ingestEvents(db, merchantId, [
      { id: "r2", type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "M2", data: {} },
      { id: "o2", type: "order.paid", occurredAt: "2026-03-10T11:00:00+08:00", memberId: "M2", data: { orderId: "O2", amount: 100000 } },
    ]);
    now += 1_000;
    await runner.drain();
    expect(await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.merchantId, merchantId), eq(webhookDeliveries.type, "message.queued")))).toHaveLength(1);
  });

  it("marks a delivery failed after the last of the api.md retries (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)", async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
    const created = await call(webhooks$.POST as Handler, "POST", key, { url: `${receiverUrl.replace("/hooks", "")}/down`, types: ["points.earned"] });
    const endpointId = String(created.json.id);
    // This receiver answers 500 only to the first attempt; point the endpoint at a port nobody listens on.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { webhookEndpoints } = await import("@/db/schema");
    await db.update(webhookEndpoints).set({ url: `http://127.0.0.1:${port}/gone` }).where(eq(webhookEndpoints.id, endpointId));
    const { deliveryId } = await sendTestPing(db, merchantId, endpointId, new Date(now));
    const delays = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
    await runner.drain();
    for (const d of delays) {
      now += d;
      await runner.drain();
    }
    const [failed] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, String(deliveryId)));
    expect(failed).toMatchObject({ state: "failed", attempts: 8, lastStatus: null });
    expect(failed.lastResponse).toMatch(/^no answer/);
    const [job] = await db.select().from(jobs).where(eq(jobs.key, `webhook:${deliveryId}`));
    expect(job).toMatchObject({ state: "parked", attempts: 8 });
  });

  it("disables an endpoint whose every delivery failed for 5 days, with an audit row, when a delivery fails for good", async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
    const created = await call(webhooks$.POST as Handler, "POST", key, { url: receiverUrl, types: ["points.earned"] });
    const endpointId = String(created.json.id);
    const { auditLog, webhookEndpoints } = await import("@/db/schema");
    await db.update(webhookEndpoints).set({ url: "http://127.0.0.1:9/closed" }).where(eq(webhookEndpoints.id, endpointId));
    const endpoint = async () => (await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)))[0];
    const hour = 3_600_000;
    // A ping's 8 attempts, the clock moved 10 h before each retry (every retry is due by then: the longest wait is 10 h): 70 h.
    const pingUntilFailed = async () => {
      await sendTestPing(db, merchantId, endpointId, new Date(now));
      await runner.drain();
      for (let i = 0; i < 7; i++) {
        now += 10 * hour;
        await runner.drain();
      }
    };
    const start = now;
    await pingUntilFailed(); // first failure at `start`, failed for good at start + 70 h: failing < 5 days
    expect((await endpoint()).failingSince?.getTime()).toBe(start);
    expect((await endpoint()).enabled).toBe(true);
    await pingUntilFailed(); // from start + 70 h, failed for good at start + 140 h: failing for 5 days and more
    expect(now).toBe(start + 140 * hour);
    const ep = await endpoint();
    expect([ep.enabled, ep.disabledReason]).toEqual([false, `every delivery has failed since ${new Date(start).toISOString()}`]);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, endpointId), eq(auditLog.action, "webhook.auto_disable")));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorType).toBe("system");
    expect((await call(webhooks$.GET as Handler, "GET", key)).json.endpoints).toContainEqual(expect.objectContaining({ id: endpointId, enabled: false, disabledReason: ep.disabledReason }));
  });

  it("ends an attempt in flight when the server stops, to be retried with the same webhook-id", async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
    const hanging = http.createServer(() => {}); // never answers
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", r));
    const created = await call(webhooks$.POST as Handler, "POST", key, { url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/slow`, types: ["points.earned"] });
    const { deliveryId } = await sendTestPing(db, merchantId, String(created.json.id), new Date(now));
    const stopping = new JobRunner({ db, handlers: jobHandlers, now: () => new Date(now) });
    const running = stopping.runDue();
    await new Promise((r) => setTimeout(r, 300));
    const t = Date.now();
    await stopping.stop(8_000);
    await running;
    expect(Date.now() - t).toBeLessThan(2_000);
    hanging.closeAllConnections();
    await new Promise<void>((r) => hanging.close(() => r()));
    const [d] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, String(deliveryId)));
    expect(d).toMatchObject({ state: "pending", attempts: 1, lastStatus: null, lastResponse: "no answer: the server was stopping" });
    const [job] = await db.select().from(jobs).where(eq(jobs.key, `webhook:${deliveryId}`));
    expect(job).toMatchObject({ state: "queued", attempts: 1 });
  });
});

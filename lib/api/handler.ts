import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextApiRequest, NextApiResponse } from "next";
import { NextResponse } from "next/server";
import { getServerSession } from "next-auth";
import type { Db } from "@/db/client";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { guardCaller, guardRequest } from "@/lib/auth/guard";
import { authOptions } from "@/lib/auth/options";
import type { AppLocale } from "@/i18n/config";
import { localeOfAcceptLanguage } from "@/i18n/accept-language";
import type { Actor, Permission } from "@/lib/auth/actor";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Below this many bytes an API answer goes out as is: gzip costs more CPU than it saves on a few dozen bytes. */
const COMPRESS_FROM_BYTES = 2048;

/**
 * The JSON answer of every /api/v1 route: never cached, and small bodies marked `no-transform`, which
 * the server's compression middleware honours (it had been gzipping 60-byte answers: ~9% of the
 * server's CPU on single-event requests). Large answers (OpenAPI, metrics) are still compressed.
 */
export function jsonResponse(body: unknown, init: { status?: number } = {}) {
  const text = JSON.stringify(body);
  return new NextResponse(text, { status: init.status ?? 200, headers: jsonHeaders(text) });
}

const jsonHeaders = (text: string) => ({ "content-type": "application/json", "cache-control": text.length < COMPRESS_FROM_BYTES ? "no-store, no-transform" : "no-store" });

/** An answer as status and JSON body, before it is written for one router or the other. */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * The error shape of an answer. Only an AppError's own message goes out: any other error (a database
 * error carries its SQL and parameters, any error its stack) is logged and answered without its text.
 */
function errorAnswer(err: unknown, locale: AppLocale = "en"): JsonAnswer {
  if (err instanceof AppError) return { status: err.status, body: { error: err.toLocalizedJSON(locale) } };
  console.error(err);
  if (isUniqueViolation(err)) return { status: 409, body: { error: new AppError("conflict", "a concurrent request made the same thing first; repeat the request to see its outcome").toJSON() } };
  return { status: 500, body: { error: { code: "internal", message: "internal error" } } };
}

/** The error answer; validation messages in the language of `request`'s Accept-Language (English without one). */
export function errorResponse(err: unknown, request?: Request) {
  const { status, body } = errorAnswer(err, localeOfAcceptLanguage(request?.headers.get("accept-language")));
  return jsonResponse(body, { status });
}

/**
 * Handlers answering a JSON 405 (Next's own has no body), for a route to export under every method
 * it does not answer: `export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");`
 */
export function methodsNotAllowed(...allowed: string[]) {
  const allow = allowed.join(", ");
  const answer = async () => {
    const res = errorResponse(new AppError("method_not_allowed", `this route answers ${allow} only`));
    res.headers.set("allow", allow);
    return res;
  };
  return { GET: answer, POST: answer, PUT: answer, PATCH: answer, DELETE: answer };
}

const tooLarge = () => new AppError("payload_too_large", "the body is over 1 MiB");

function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError("validation_failed", `the body is not valid JSON: ${(e as Error).message}`, [{ path: "", message: "malformed JSON" }]);
  }
}

/**
 * JSON endpoints take `application/json` (or `…+json`) only: a form or `text/plain` body is what a
 * page on another site can send without asking (CORS lets it through without a preflight).
 */
function assertJsonContentType(contentType: string | null | undefined) {
  if (contentType === "application/json") return; // what nearly every API client sends: one comparison
  const type = contentType ? contentType.split(";")[0].trim().toLowerCase() : "";
  if (type !== "application/json" && !(type.startsWith("application/") && type.endsWith("+json")))
    throw new AppError("unsupported_media_type", "send the body as application/json", [{ path: "content-type", message: "must be application/json" }]);
}

/** Reads a JSON body: not application/json → 415, over 1 MiB → 413, not JSON → 400 validation_failed. */
export async function readJson(request: Request): Promise<unknown> {
  assertJsonContentType(request.headers.get("content-type"));
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const buf = await request.arrayBuffer();
  if (buf.byteLength > MAX_BODY_BYTES) throw tooLarge();
  return parseJsonBody(new TextDecoder().decode(buf));
}

/**
 * readJson for a Node request (a Pages API route with Next's body parser off), with the same limits
 * and errors. Read with 'data' events: `for await` over the request was ~2% of the server's main
 * thread with single events. Past the limit the rest of the body is read and dropped, so the 413 goes
 * out on a connection that stays usable.
 */
export async function readNodeJson(req: IncomingMessage): Promise<unknown> {
  assertJsonContentType(req.headers["content-type"]);
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      over = true;
      chunks.length = 0;
      reject(tooLarge());
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks, size).toString("utf8"));
    });
    req.on("error", reject);
  });
  return parseJsonBody(text);
}

export interface HandlerContext<P> {
  request: Request;
  actor: Actor;
  merchantId: string;
  db: Db;
  params: P;
}

/**
 * The route wrapper every /api/v1 handler goes through: it runs the guard for `permission`, narrows
 * the merchant, and turns AppErrors into the error shape of api.md.
 */
export function withMerchant<P = Record<string, string>>(
  permission: Permission,
  handler: (ctx: HandlerContext<P>) => Promise<Response | unknown>,
) {
  return async (request: Request, context: { params: Promise<P> }) => {
    try {
      const { actor, db } = await guardRequest(request, permission);
      const params = (await context?.params) ?? ({} as P);
      const result = await handler({ request, actor, merchantId: actor.merchantId, db, params });
      return result instanceof Response ? result : jsonResponse(result);
    } catch (err) {
      return errorResponse(err, request);
    }
  };
}

/** A response next-auth may set headers on and nothing is kept (see withMerchantNode). */
const readOnlyResponse = { getHeader: () => undefined, setHeader: () => readOnlyResponse } as unknown as NextApiResponse;

export interface NodeHandlerContext {
  /** The request's JSON body (readNodeJson). */
  body: () => Promise<unknown>;
  actor: Actor;
  merchantId: string;
  db: Db;
}

/**
 * withMerchant for a Pages API route (`pages/api/…`, body parser off): the same guard, the same error
 * shape and headers, written on Node's own request and response. Only the hot ingest route is one:
 * measured on this host, Next answered a POST that reads a body and returns constant JSON about twice
 * as fast from a Pages API route as from an App Router route handler (2,150–2,300/s against
 * 970–1,070/s), the App Router's Request/Response adapters being most of its cost.
 */
export function withMerchantNode(method: string, permission: Permission, handler: (ctx: NodeHandlerContext) => Promise<JsonAnswer>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    // As an App Router route answers a method it does not export.
    if (req.method !== method) return methodNotAllowed(res, method);
    let answer: JsonAnswer;
    try {
      // Next's API resolver has parsed req.cookies, which next-auth reads. As in an App Router handler,
      // the session is only read: next-auth's Set-Cookie headers (csrf, callback URL) are dropped.
      const session = () => getServerSession(req as NextApiRequest, readOnlyResponse, authOptions);
      const { headers } = req;
      const host = headers["x-forwarded-host"] ?? headers.host;
      const caller = { authorization: headers.authorization ?? null, session, method: method, origin: headers.origin, fetchSite: headers["sec-fetch-site"] as string | undefined, host: Array.isArray(host) ? host[0] : host };
      const { actor, db } = await guardCaller(caller, permission);
      answer = await handler({ body: () => readNodeJson(req), actor, merchantId: actor.merchantId, db });
    } catch (err) {
      answer = errorAnswer(err, localeOfAcceptLanguage(req.headers["accept-language"]));
    }
    sendJson(res, answer.status, answer.body);
  };
}

/** Every non-2xx under /api/v1 is JSON, a wrong method too. */
export function methodNotAllowed(res: ServerResponse, allow: string) {
  const text = JSON.stringify({ error: { code: "method_not_allowed", message: `this route answers ${allow} only` } });
  res.writeHead(405, { ...jsonHeaders(text), allow, "content-length": Buffer.byteLength(text) }).end(text);
}

/** jsonResponse for a Node response (Pages API routes): the same headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...jsonHeaders(text), "content-length": Buffer.byteLength(text) }).end(text);
}

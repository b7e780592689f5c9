import { NextResponse } from "next/server";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { guardRequest } from "@/lib/auth/guard";
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
  return new NextResponse(text, {
    status: init.status ?? 200,
    headers: { "content-type": "application/json", "cache-control": text.length < COMPRESS_FROM_BYTES ? "no-store, no-transform" : "no-store" },
  });
}

export function errorResponse(err: unknown) {
  if (err instanceof AppError) return jsonResponse({ error: err.toJSON() }, { status: err.status });
  console.error(err);
  return jsonResponse({ error: { code: "internal", message: "internal error" } }, { status: 500 });
}

/** Reads a JSON body: over 1 MiB → 413, not JSON → 400 validation_failed. */
export async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError("payload_too_large", "the body is over 1 MiB");
  const buf = await request.arrayBuffer();
  if (buf.byteLength > MAX_BODY_BYTES) throw new AppError("payload_too_large", "the body is over 1 MiB");
  const text = new TextDecoder().decode(buf);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError("validation_failed", `the body is not valid JSON: ${(e as Error).message}`, [{ path: "", message: "malformed JSON" }]);
  }
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
      return errorResponse(err);
    }
  };
}

import { describe, expect, it } from "vitest";
import { errorResponse, jsonResponse } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";

describe("API JSON answers", () => {
  it("a small answer is JSON, never cached, and marked no-transform (not gzipped)", async () => {
    const r = jsonResponse({ results: [{ id: "e1", status: "applied" }] }, { status: 201 });
    expect(r.status).toBe(201);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(await r.json()).toEqual({ results: [{ id: "e1", status: "applied" }] });
  });

  it("an answer of 2 KiB or more may be compressed", () => {
    const r = jsonResponse({ text: "x".repeat(2048) });
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("errors keep the error shape and status", async () => {
    const r = errorResponse(new AppError("not_found", "no member M1"));
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { code: "not_found", message: "no member M1" } });
  });
});

// GET /api/v1/openapi.json — the OpenAPI 3.1 document, generated from the handlers' zod schemas.
import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/openapi";

export const GET = () => NextResponse.json(openApiDocument());

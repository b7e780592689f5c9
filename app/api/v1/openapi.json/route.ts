// GET /api/v1/openapi.json — the OpenAPI 3.1 document, generated from the handlers' zod schemas.
import { jsonResponse, methodsNotAllowed } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/openapi";

export const GET = () => jsonResponse(openApiDocument());

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");

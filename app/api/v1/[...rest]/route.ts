// Any method on a path under /api/v1 that names no route: a JSON 404, as every non-2xx of the API is
// (without this, Next answered with its HTML not-found page).
import { errorResponse } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";

const notFound = async () => errorResponse(new AppError("not_found", "no such API route; see /api/v1/openapi.json"));

export { notFound as GET, notFound as HEAD, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };

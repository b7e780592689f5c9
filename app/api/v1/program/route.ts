// GET /api/v1/program — the whole program as JSON. PUT — replaces it (all validated first; a new version from now).
import { withMerchant, readJson, methodsNotAllowed } from "@/lib/api/handler";
import { currentProgram, toExport } from "@/lib/program/store";
import { replaceProgram } from "@/lib/program/update-program";

export const GET = withMerchant("program.read", async ({ db, merchantId }) => toExport(await currentProgram(db, merchantId)));

export const PUT = withMerchant("program.write", async ({ request, db, merchantId, actor }) => {
  const body = await readJson(request);
  const { version } = await replaceProgram(db, merchantId, body, actor, "PUT /api/v1/program");
  return { version, ...toExport(await currentProgram(db, merchantId)) };
});

export const { POST, PATCH, DELETE } = methodsNotAllowed("GET", "PUT");

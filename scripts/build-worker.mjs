// Bundles the engine thread (lib/engine/worker-entry.ts) into .next/engine-worker.mjs; packages stay
// external (node_modules). Run after every `next build` (scripts/start.mjs, npm run build).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Writes the bundle to `outfile` (relative to the project root); it must lie inside the project so node_modules resolve. */
export async function buildEngineWorker(outfile = ".next/engine-worker.mjs") {
  await build({
    absWorkingDir: root,
    entryPoints: ["lib/engine/worker-entry.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: "tsconfig.json",
    logLevel: "warning",
  });
  return path.resolve(root, outfile);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildEngineWorker();

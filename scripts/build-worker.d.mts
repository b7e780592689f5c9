/** Bundles lib/engine/worker-entry.ts to `outfile` (relative to the project root) and returns its absolute path. */
export function buildEngineWorker(outfile?: string): Promise<string>;

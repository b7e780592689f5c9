export async function register() {
  // `next build` loads this too while collecting pages: never open (and lock) the database then.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./instrumentation-node")).startNode();
}

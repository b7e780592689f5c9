// npm run bench -- <name> [args]: ingest | checkout | mall | metrics | members | seed | import-file | period | webhooks
const [benchName, ...args] = process.argv.slice(2);
const benches: Record<string, () => Promise<void>> = {
  seed: async () => (await import("./seed")).benchSeed(args),
  ingest: async () => (await import("./ingest")).benchIngest(args),
  checkout: async () => (await import("./checkout")).benchCheckout(),
  mall: async () => (await import("./mall")).benchMall(),
  metrics: async () => {
    await import("./metrics");
  },
  members: async () => {
    await import("./members");
  },
  "import-file": async () => {
    await import("./import-file");
  },
  period: async () => (await import("./period")).benchPeriod(),
  webhooks: async () => (await import("./webhooks")).benchWebhooks(),
};
const run = benches[benchName ?? ""];
if (!run) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join(" | ")}>`);
  process.exit(2);
}
await run();
export {};

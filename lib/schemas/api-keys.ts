import { z } from "zod";

/** A new API key: the settings form, the server action and createApiKey all parse with this. */
export const apiKeyInput = z.object({ name: z.string().trim().min(1).max(60) });
export type ApiKeyInput = z.input<typeof apiKeyInput>;

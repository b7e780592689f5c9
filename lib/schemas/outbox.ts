import { z } from "zod";

/** GET /api/v1/outbox: the position to read after (the last answer's nextCursor) and a page size. */
export const outboxQuery = z.object({
  after: z.string().regex(/^\d{1,15}$/, "must be a cursor from an earlier answer").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type OutboxQuery = z.output<typeof outboxQuery>;

export const outboxMessage = z.object({
  id: z.string().describe("The message's id"),
  memberId: z.string(),
  template: z.string().describe("The automation's template, e.g. points_expiring, tier_upgraded"),
  payload: z.record(z.string(), z.unknown()).describe("The automation and what it fired on"),
  createdAt: z.string().describe("When the message was committed (ISO 8601), not the event's time"),
});

export const outboxPage = z.object({
  messages: z.array(outboxMessage),
  nextCursor: z.string().describe("Read from here next time; unchanged when nothing new"),
});
export type OutboxPage = z.output<typeof outboxPage>;

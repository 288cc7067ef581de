import { integer, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";

/** Calls refused by a key's rate limit, counted per key per minute instead of a log row each. */
export const rateLimitedCalls = pgTable(
  "rate_limited_calls",
  {
    projectId: uuid("project_id").notNull(),
    apiKeyId: uuid("api_key_id").notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.minute, t.apiKeyId], name: "rate_limited_calls_pkey" })],
);

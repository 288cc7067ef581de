import { bigint, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { clientTypeEnum, toolCallStatusEnum } from "./enums";

/**
 * Per project × minute × server × method × tool × status × client type aggregates, upserted by the
 * log writer in the same batch as the rows. `durationBuckets[i]` counts calls with
 * duration ≤ DURATION_BUCKETS_MS[i]; the last element counts the rest.
 */
export const toolCallRollups = pgTable(
  "tool_call_rollups",
  {
    projectId: uuid("project_id").notNull(),
    bucket: timestamp("bucket", { withTimezone: true }).notNull(),
    serverName: text("server_name").notNull(),
    method: text("method").notNull().default("tools/call"),
    toolName: text("tool_name").notNull(),
    status: toolCallStatusEnum("status").notNull(),
    clientType: clientTypeEnum("client_type").notNull(),
    count: integer("count").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    durationSumMs: bigint("duration_sum_ms", { mode: "number" }).notNull().default(0),
    durationBuckets: integer("duration_buckets").array().notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.projectId, t.bucket, t.serverName, t.method, t.toolName, t.status, t.clientType],
      name: "tool_call_rollups_pkey",
    }),
  ],
);

import { bigint, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { clientTypeEnum, toolCallStatusEnum } from "./enums";

/**
 * Tool-call aggregates per project × bucket × server × method × tool × status × client type.
 * `durationBuckets[i]` counts calls with duration ≤ DURATION_BUCKETS_MS[i]; the last element
 * counts the rest. Four grains share this shape (docs/EXPLORER.md, "Rollup tiers"):
 * `tool_call_rollups` per minute, upserted by the log writer in the same statement as the rows;
 * `tool_call_rollups_quarterly` (15 minutes), `tool_call_rollups_hourly` and
 * `tool_call_rollups_daily`, kept by statement triggers on the minute table (migrations
 * 0012_rollup_tier_triggers, 0013_rollup_quarter_tier), so they always add up to it — with the
 * tool names of methods other than tools/call and prompts/get (resource URIs) folded to '' by
 * `switchyard_rollup_tool_key` (0014_rollup_tool_key).
 */
function rollupTable<N extends string>(name: N) {
  return pgTable(
    name,
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
        name: `${name}_pkey`,
      }),
    ],
  );
}

export const toolCallRollups = rollupTable("tool_call_rollups");
export const toolCallRollupsQuarterly = rollupTable("tool_call_rollups_quarterly");
export const toolCallRollupsHourly = rollupTable("tool_call_rollups_hourly");
export const toolCallRollupsDaily = rollupTable("tool_call_rollups_daily");

import { bigint, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { clientTypeEnum, toolCallStatusEnum } from "./enums";

/**
 * Tool-call aggregates per project × bucket × server × method × tool × status × client type.
 * `durationBuckets[i]` counts calls with duration ≤ DURATION_BUCKETS_MS[i]; the last element
 * counts the rest. Four grains share this shape (docs/EXPLORER.md, "Rollup tiers"):
 * `tool_call_rollups` per minute, `tool_call_rollups_quarterly` (15 minutes),
 * `tool_call_rollups_hourly` and `tool_call_rollups_daily`, all four upserted by the log writer in
 * the same statement as the rows (and rebuilt together by the seeder), so each coarse tier always
 * equals the minute rows summed to its grain — with the tool names of methods other than
 * tools/call and prompts/get (resource URIs) folded to '' by `switchyard_rollup_tool_key`
 * (0015_rollup_tool_key).
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

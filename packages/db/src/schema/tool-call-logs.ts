import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { clientTypeEnum, toolCallStatusEnum } from "./enums";

/**
 * One row per tools/call. Range-partitioned by day on `started_at` (see the migration that
 * turns this table into a partitioned one and `switchyard_ensure_log_partitions`), with no
 * foreign keys so rows can be batch-inserted and dropped by partition. Two indexes live only in
 * migrations (drizzle cannot declare them): the GIN free-text index (0007_log_search) and the
 * partial tool index on methods whose names the rollup tiers fold (0015_rollup_tool_key).
 */
export const toolCallLogs = pgTable(
  "tool_call_logs",
  {
    id: uuid("id").notNull(),
    projectId: uuid("project_id").notNull(),
    serverId: uuid("server_id"),
    /** Server name at call time (facets and the query language use names). */
    serverName: text("server_name").notNull().default(""),
    sessionId: uuid("session_id"),
    apiKeyId: uuid("api_key_id"),
    /** Console user, for try-it calls. */
    userId: uuid("user_id"),
    /** MCP method of the request (`tools/call`, `prompts/get`, `resources/read`, `completion/complete`). */
    method: text("method").notNull().default("tools/call"),
    /** Upstream tool name; the prompt name or resource URI for the other methods. */
    toolName: text("tool_name").notNull(),
    /** Name the client saw (`server__tool` on the project endpoint). */
    exposedName: text("exposed_name").notNull(),
    status: toolCallStatusEnum("status").notNull(),
    errorCode: integer("error_code"),
    errorMessage: text("error_message"),
    input: jsonb("input"),
    output: jsonb("output"),
    inputTruncated: boolean("input_truncated").notNull().default(false),
    outputTruncated: boolean("output_truncated").notNull().default(false),
    inputSize: integer("input_size"),
    outputSize: integer("output_size"),
    durationMs: integer("duration_ms").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }).notNull(),
    /** JSON-RPC request id as sent by the client (string or number), as text. */
    requestId: text("request_id"),
    clientType: clientTypeEnum("client_type").notNull().default("other"),
    /** Requests the upstream made of the client during the call (sampling, elicitation, roots), relayed by the gateway. */
    relayCount: integer("relay_count").notNull().default(0),
    /** Time spent waiting for the client's answers to them. */
    relayMs: integer("relay_ms").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.startedAt, t.id], name: "tool_call_logs_pkey" }),
    index("tool_call_logs_project_time_idx").on(t.projectId, t.startedAt.desc()),
    index("tool_call_logs_project_status_time_idx").on(t.projectId, t.status, t.startedAt.desc()),
    index("tool_call_logs_project_tool_time_idx").on(t.projectId, t.toolName, t.startedAt.desc()),
    index("tool_call_logs_project_server_time_idx").on(t.projectId, t.serverName, t.startedAt.desc()),
    index("tool_call_logs_session_time_idx").on(t.sessionId, t.startedAt),
  ],
);

import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { clientTransportEnum, clientTypeEnum } from "./enums";

/**
 * One row per client connection, kept current by the gateway's log writer.
 * No foreign keys: rows are written in batches off the request path and purged by retention.
 */
export const clientSessions = pgTable(
  "client_sessions",
  {
    /** The MCP session id handed to the client. */
    id: uuid("id").primaryKey(),
    projectId: uuid("project_id").notNull(),
    /** Null for the aggregated project endpoint. */
    serverId: uuid("server_id"),
    apiKeyId: uuid("api_key_id"),
    /** Console user for try-it sessions. */
    userId: uuid("user_id"),
    transport: clientTransportEnum("transport").notNull(),
    clientName: text("client_name"),
    clientVersion: text("client_version"),
    clientType: clientTypeEnum("client_type").notNull().default("other"),
    protocolVersion: text("protocol_version"),
    userAgent: text("user_agent"),
    ip: text("ip"),
    gatewayInstance: text("gateway_instance").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    endReason: text("end_reason"),
    callsTotal: integer("calls_total").notNull().default(0),
    callsFailed: integer("calls_failed").notNull().default(0),
  },
  (t) => [
    index("client_sessions_project_started_idx").on(t.projectId, t.startedAt.desc()),
    index("client_sessions_project_activity_idx").on(t.projectId, t.lastActivityAt.desc()),
    index("client_sessions_api_key_idx").on(t.apiKeyId),
  ],
);

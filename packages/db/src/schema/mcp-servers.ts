import { relations } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ServerInfo } from "@switchyard/shared";
import { id, timestamps } from "./columns";
import { serverIsolationEnum, serverStatusEnum, serverTransportEnum } from "./enums";
import { projects } from "./projects";
import { serverEvents } from "./server-events";
import { serverTools } from "./server-tools";

export const mcpServers = pgTable(
  "mcp_servers",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    transport: serverTransportEnum("transport").notNull(),
    /** stdio: the executable. Not secret (shown to every member); arguments are. */
    command: text("command"),
    /** Encrypted JSON string[] (AES-256-GCM envelope with key id). */
    argsEnc: text("args_enc"),
    cwd: text("cwd"),
    /** Encrypted URL of a remote upstream. */
    urlEnc: text("url_enc"),
    /** Encrypted JSON Record<string,string>. */
    envEnc: text("env_enc"),
    /** Encrypted JSON Record<string,string>. */
    headersEnc: text("headers_enc"),
    timeoutMs: integer("timeout_ms").notNull().default(60_000),
    enabled: boolean("enabled").notNull().default(true),
    isolation: serverIsolationEnum("isolation").notNull().default("shared"),
    status: serverStatusEnum("status").notNull().default("unknown"),
    statusCheckedAt: timestamp("status_checked_at", { withTimezone: true }),
    statusError: text("status_error"),
    statusLatencyMs: integer("status_latency_ms"),
    toolsCount: integer("tools_count"),
    serverInfo: jsonb("server_info").$type<ServerInfo>(),
    ...timestamps,
  },
  (t) => [uniqueIndex("mcp_servers_project_name_key").on(t.projectId, t.name), index("mcp_servers_enabled_idx").on(t.enabled)],
);

export const mcpServersRelations = relations(mcpServers, ({ one, many }) => ({
  project: one(projects, { fields: [mcpServers.projectId], references: [projects.id] }),
  tools: many(serverTools),
  events: many(serverEvents),
}));

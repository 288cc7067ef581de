import { relations } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { mcpServers } from "./mcp-servers";

export const serverTools = pgTable(
  "server_tools",
  {
    id: id(),
    projectId: uuid("project_id").notNull(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => mcpServers.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    title: text("title"),
    description: text("description"),
    inputSchema: jsonb("input_schema").$type<Record<string, unknown>>().notNull(),
    outputSchema: jsonb("output_schema").$type<Record<string, unknown>>(),
    annotations: jsonb("annotations").$type<Record<string, unknown>>(),
    enabled: boolean("enabled").notNull().default(true),
    /** Held by the project's new-tool policy until an admin approves it. */
    pendingApproval: boolean("pending_approval").notNull().default(false),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    goneAt: timestamp("gone_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [uniqueIndex("server_tools_server_name_key").on(t.serverId, t.name), index("server_tools_project_idx").on(t.projectId)],
);

export const serverToolsRelations = relations(serverTools, ({ one }) => ({
  server: one(mcpServers, { fields: [serverTools.serverId], references: [mcpServers.id] }),
}));

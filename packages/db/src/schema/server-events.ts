import { relations } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { eventLevelEnum, serverEventCategoryEnum } from "./enums";
import { mcpServers } from "./mcp-servers";

export const serverEvents = pgTable(
  "server_events",
  {
    id: id(),
    projectId: uuid("project_id").notNull(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => mcpServers.id, { onDelete: "cascade" }),
    level: eventLevelEnum("level").notNull(),
    category: serverEventCategoryEnum("category").notNull(),
    message: text("message").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>(),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("server_events_server_at_idx").on(t.serverId, t.at.desc()), index("server_events_project_at_idx").on(t.projectId, t.at.desc())],
);

export const serverEventsRelations = relations(serverEvents, ({ one }) => ({
  server: one(mcpServers, { fields: [serverEvents.serverId], references: [mcpServers.id] }),
}));

import { relations } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { RedactionRule } from "@switchyard/shared";
import { apiKeys } from "./api-keys";
import { id, timestamps } from "./columns";
import { logPayloadPolicyEnum, newToolPolicyEnum } from "./enums";
import { mcpServers } from "./mcp-servers";
import { teams } from "./teams";

export const projects = pgTable(
  "projects",
  {
    id: id(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull().default(""),
    logPayloadPolicy: logPayloadPolicyEnum("log_payload_policy").notNull().default("full"),
    redactionRules: jsonb("redaction_rules").$type<RedactionRule[]>().notNull().default([]),
    retentionDays: integer("retention_days").notNull().default(30),
    toolSeparator: text("tool_separator").notNull().default("__"),
    newToolPolicy: newToolPolicyEnum("new_tool_policy").notNull().default("enabled"),
    ...timestamps,
  },
  (t) => [uniqueIndex("projects_team_slug_key").on(t.teamId, t.slug), index("projects_team_idx").on(t.teamId)],
);

export const projectsRelations = relations(projects, ({ one, many }) => ({
  team: one(teams, { fields: [projects.teamId], references: [teams.id] }),
  servers: many(mcpServers),
  apiKeys: many(apiKeys),
}));

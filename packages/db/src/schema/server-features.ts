import { relations } from "drizzle-orm";
import { index, jsonb, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { mcpServers } from "./mcp-servers";

/** One page of a list as the upstream sent it: the items pass through unchanged. */
export type FeaturePage = Record<string, unknown>[];

/**
 * A server's prompts, resources and resource templates as its last listing found them (kept by
 * the status refresh, filled in by a gateway that listed a never-listed server live), in the
 * upstream's own pages. A server without a row has never been listed.
 */
export const serverFeatures = pgTable(
  "server_features",
  {
    id: id(),
    projectId: uuid("project_id").notNull(),
    serverId: uuid("server_id")
      .notNull()
      .unique()
      .references(() => mcpServers.id, { onDelete: "cascade" }),
    prompts: jsonb("prompts").$type<FeaturePage[]>().notNull(),
    resources: jsonb("resources").$type<FeaturePage[]>().notNull(),
    resourceTemplates: jsonb("resource_templates").$type<FeaturePage[]>().notNull(),
    listedAt: timestamp("listed_at", { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [index("server_features_project_idx").on(t.projectId)],
);

export const serverFeaturesRelations = relations(serverFeatures, ({ one }) => ({
  server: one(mcpServers, { fields: [serverFeatures.serverId], references: [mcpServers.id] }),
}));

import { relations } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** First characters of the key, safe to display (`sy_live_abcd…`). */
    prefix: text("prefix").notNull(),
    /** sha-256 (hex) of the full key; the key itself is shown once and never stored. */
    hash: text("hash").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
    /** Calls per minute allowed for this key; null means the instance default. */
    rateLimitPerMinute: integer("rate_limit_per_minute"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("api_keys_hash_key").on(t.hash),
    index("api_keys_project_idx").on(t.projectId),
    index("api_keys_created_by_idx").on(t.createdBy),
  ],
);

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  project: one(projects, { fields: [apiKeys.projectId], references: [projects.id] }),
  creator: one(users, { fields: [apiKeys.createdBy], references: [users.id] }),
}));

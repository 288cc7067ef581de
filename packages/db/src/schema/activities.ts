import { relations } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ActivityType } from "@switchyard/shared";
import { id } from "./columns";
import { teams } from "./teams";
import { users } from "./users";

/** Audit feed. Team-less rows (instance admin actions such as worker controls) have team_id null. */
export const activities = pgTable(
  "activities",
  {
    id: id(),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    /** No foreign key: the feed outlives a deleted project ("project.deleted" stays readable). */
    projectId: uuid("project_id"),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    type: text("type").$type<ActivityType>().notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    summary: text("summary").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("activities_team_at_idx").on(t.teamId, t.at.desc()),
    index("activities_project_at_idx").on(t.projectId, t.at.desc()),
    index("activities_type_at_idx").on(t.type, t.at.desc()),
  ],
);

export const activitiesRelations = relations(activities, ({ one }) => ({
  team: one(teams, { fields: [activities.teamId], references: [teams.id] }),
  actor: one(users, { fields: [activities.actorUserId], references: [users.id] }),
}));

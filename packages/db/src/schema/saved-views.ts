import { relations } from "drizzle-orm";
import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

/** A named log explorer view of a project: the explorer's URL state (query, range, grouping). */
export const savedViews = pgTable(
  "saved_views",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The explorer's URL search string (`q=…&range=1h&group=status`), validated on save. */
    state: text("state").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [index("saved_views_project_idx").on(t.projectId)],
);

export const savedViewsRelations = relations(savedViews, ({ one }) => ({
  project: one(projects, { fields: [savedViews.projectId], references: [projects.id] }),
  creator: one(users, { fields: [savedViews.createdBy], references: [users.id] }),
}));

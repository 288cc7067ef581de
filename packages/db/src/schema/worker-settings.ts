import { boolean, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { users } from "./users";

export const workerSettings = pgTable("worker_settings", {
  jobName: text("job_name").primaryKey(),
  intervalMinutes: integer("interval_minutes").notNull(),
  paused: boolean("paused").notNull().default(false),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  ...timestamps,
});

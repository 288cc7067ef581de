import { uuidv7 } from "@switchyard/shared";
import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Primary key: UUIDv7 generated in the app, `gen_random_uuid()` for raw SQL inserts. */
export const id = () => uuid("id").primaryKey().defaultRandom().$defaultFn(() => uuidv7());

export const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};

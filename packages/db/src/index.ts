export * from "./client";
export * from "./migrate";
export * from "./embedded";
export * from "./paths";
export * from "./queries";
export * as schema from "./schema";
export { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";

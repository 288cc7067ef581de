/** `@switchyard/core/services`: the tenant-scoped operations the console, CLI and gateway perform on the database. */
export * from "./users";
export * from "./teams";
export * from "./projects";
export * from "./servers";
export * from "./server-import";
export * from "./api-keys";
export * from "./client-sessions";
export * from "./invitations";
export * from "./email-verification";
export * from "./members";
export * from "./team-settings";
export * from "./project-settings";
export * from "./tools";
export * from "./account";
export * from "./admin-users";
export * from "./worker-admin";

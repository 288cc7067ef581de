export * from "./users";
export * from "./teams";
export * from "./members";
export * from "./projects";
export * from "./api-keys";
export * from "./servers";
export * from "./activities";

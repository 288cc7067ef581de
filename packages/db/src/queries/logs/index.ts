export * from "./filter";
export * from "./calls";
export * from "./aggregates";
export * from "./error-groups";

export * from "./filter";
export * from "./calls";
export * from "./aggregates";

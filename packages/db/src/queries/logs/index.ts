export * from "./filter";
export * from "./calls";
export * from "./aggregates";
export * from "./rollup-tiers";
export * from "./error-groups";
export * from "./rollup-query";

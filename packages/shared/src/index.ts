export * from "./enums";
export * from "./names";
export * from "./uuid";
export * from "./server-config";
export * from "./project-settings";
export * from "./mcp-servers-json";
export * from "./errors";
export * from "./payload-scrub";

/** `@switchyard/core/upstream`: connecting to an upstream MCP server (stdio processes, guarded HTTP). Gateway and worker only. */
export * from "./connect-upstream";
export * from "./address-guard";
export * from "./stdio-launch";
export * from "./package-runners";
export * from "./stdio-sandbox";

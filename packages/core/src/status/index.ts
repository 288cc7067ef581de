/** `@switchyard/core/status`: probing upstream servers and recording their status and tool catalogues. Worker only. */
export * from "./probe-result";
export * from "./probe-server";
export * from "./refresh-status";

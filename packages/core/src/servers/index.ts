/** `@switchyard/core/servers`: the instance's server policy and how a server's config is sealed into and opened from its row. */
export * from "./server-policy";
export * from "./server-record";

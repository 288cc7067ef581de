/** `@switchyard/core/runtime`: what the running instance keeps in its data directory. */
export * from "./data-dir";
export * from "./runtime-env";
export * from "./runtime-config";

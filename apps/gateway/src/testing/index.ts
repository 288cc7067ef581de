/**
 * The gateway's test support, exported as `@switchyard/gateway/testing`. The convention: support
 * code lives in src/testing/ (one module per kind of help, no tests), unit tests sit next to the
 * code they test (`*.test.ts`), tests of the running gateway and the CLI in test/; every test takes
 * its support from here. Scripts run as processes (`global-build.ts`, the vitest global setup;
 * `embedded-pg-runner.ts`; `worker-cli-entry.ts`) and `fixtures/` are not exported.
 */
export { EVERYTHING_BIN, isAlive, pidsWithArg } from "@switchyard/core/testing";
export { freePort } from "@switchyard/db";
export * from "./cli";
export * from "./embedded-pg-process";
export * from "./first-run";
export * from "./gateway-fixture";
export * from "./local-registry";
export * from "./pool-fixtures";
export * from "./raw-mcp";
export * from "./upstreams";
export * from "./wait";
export * from "./worker";

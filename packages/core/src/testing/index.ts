/**
 * Test support of @switchyard/core (`@switchyard/core/testing`), every file in this folder:
 * the real server-everything and process checks for every workspace's tests, and the worlds,
 * fixtures and suites core's own tests build on (imported by path inside the package).
 */
export { EVERYTHING_BIN, isAlive, pidsWithArg, startEverything, type RunningEverything } from "./everything-server";
export { testPath, testRedisUrl } from "./env";

/**
 * `npm run test:faults`: the fault suite (test/faults) against a deployment of its own on
 * loopback (test/cluster): one scenario at a time, each printing issued / ok / failed / rows /
 * lost / duplicates.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    globalSetup: ["./src/testing/global-build.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});

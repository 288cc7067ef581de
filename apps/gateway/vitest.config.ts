import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["../../packages/db/src/testing/global-setup.ts", "./src/testing/global-build.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The fault suite runs on its own (`npm run test:faults`, vitest.faults.config.ts).
    exclude: ["**/node_modules/**", "test/faults/**"],
  },
});

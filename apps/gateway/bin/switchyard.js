#!/usr/bin/env node
// The `switchyard` CLI runs the bundle in dist/ (`npm run build -w @switchyard/gateway`; `npm start`
// builds it when stale). Source maps point stack traces at the TypeScript sources.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write("error: switchyard is not built yet: run `npm run build -w @switchyard/gateway` (npm start builds it)\n");
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import(bundle.href);

#!/usr/bin/env node
// The `switchyard` CLI runs the TypeScript sources through tsx (no build step for the gateway).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");

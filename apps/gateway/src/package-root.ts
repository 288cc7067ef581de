/**
 * Where the gateway package and the product live on disk, found the same way whether this runs
 * from src/ (tests, through tsx) or from the bundle in dist/.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findUp } from "@switchyard/db/paths";

const HERE = dirname(fileURLToPath(import.meta.url));

function required(dir: string | undefined, what: string): string {
  if (!dir) throw new Error(`cannot find ${what} above ${HERE}`);
  return dir;
}

/** apps/gateway: its bin/, dist/ and package.json. */
export const GATEWAY_ROOT = required(findUp("bin/switchyard.js", HERE), "the gateway package");

/** The repository (or image) root: the workspace package.json carrying the product version. */
export const PRODUCT_ROOT = required(findUp("turbo.json", dirname(GATEWAY_ROOT)) ?? findUp("migrations", dirname(GATEWAY_ROOT)), "the product root");

/** The product's version, reported in MCP `serverInfo`, /healthz and the CLI's `--version`. */
export const PRODUCT_VERSION = (JSON.parse(readFileSync(join(PRODUCT_ROOT, "package.json"), "utf8")) as { version?: string }).version ?? "0.0.0";

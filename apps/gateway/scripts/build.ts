/**
 * Bundles the `switchyard` CLI (which runs the gateway and the worker too) into dist/ with esbuild:
 * the workspace packages' TypeScript is compiled in, npm dependencies stay plain imports, and
 * every command's implementation is a chunk of its own so `switchyard --help` loads almost nothing.
 * Source maps sit beside the output; `node --enable-source-maps` (set by bin/switchyard.js) uses them.
 */
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist");

/**
 * npm packages stay external when the bundle would find the same copy from dist/ as the importing
 * source file finds; a copy nested under one workspace (another version) is bundled in instead.
 */
const externalDependencies: Plugin = {
  name: "external-dependencies",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("@switchyard/") || args.path.startsWith("node:") || args.pluginData === "probe") return undefined;
      const fromSource = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "probe" });
      const fromDist = await b.resolve(args.path, { kind: args.kind, resolveDir: OUT, pluginData: "probe" });
      if (fromSource.errors.length > 0 || fromDist.errors.length > 0 || fromSource.path === fromDist.path) return { path: args.path, external: true };
      return undefined;
    });
  },
};

/** Builds dist/ from scratch; returns the number of JavaScript files written. */
export async function buildCli(): Promise<number> {
  await rm(OUT, { recursive: true, force: true });
  const result = await build({
    entryPoints: { cli: join(ROOT, "src/cli/main.ts") },
    outdir: OUT,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    chunkNames: "chunks/[name]-[hash]",
    plugins: [externalDependencies],
    // Bundled CommonJS (if any) may call require(); give the ESM output one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: "warning",
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js")).length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const files = await buildCli();
  process.stdout.write(`built dist/ (${files} files) in ${Math.round(performance.now() - started)} ms\n`);
}

/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned) against
 * a URL: its active server scenarios, one checks.json per scenario, read back as pass/fail.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { z } from "zod";
import { node22 } from "./node22";

const require = createRequire(import.meta.url);
const SUITE = join(dirname(require.resolve("@modelcontextprotocol/conformance/package.json")), "dist", "index.js");
const checksSchema = z.array(z.object({ id: z.string(), status: z.string(), errorMessage: z.string().optional() }));

export interface ScenarioResult {
  passed: boolean;
  failures: string[];
}

/** The active server suite against `url`: one result per scenario (a check with status FAILURE fails it). */
export async function runSuite(url: string): Promise<Map<string, ScenarioResult>> {
  const out = await mkdtemp(join(tmpdir(), "conformance-"));
  try {
    // The runner exits non-zero when a scenario fails; the checks files say which.
    await promisify(execFile)(await node22(), [SUITE, "server", "--url", url, "--suite", "active", "-o", out], { maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }).catch((e: unknown) => {
      if (typeof e === "object" && e !== null && "killed" in e && e.killed) throw new Error(`the conformance suite timed out against ${url}`);
    });
    const results = new Map<string, ScenarioResult>();
    for (const dir of await readdir(out)) {
      const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T/.exec(dir)?.[1];
      if (!scenario) continue;
      const checks = checksSchema.parse(JSON.parse(await readFile(join(out, dir, "checks.json"), "utf8")));
      const failures = checks.filter((c) => c.status === "FAILURE").map((c) => `${c.id}: ${c.errorMessage ?? "failed"}`);
      results.set(scenario, { passed: failures.length === 0, failures });
    }
    return results;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** The scenario table: one row per scenario, one column per target. */
export function scenarioTable(columns: Record<string, Map<string, ScenarioResult>>): string {
  const names = [...new Set(Object.values(columns).flatMap((m) => [...m.keys()]))].sort();
  const width = Math.max(8, ...names.map((n) => n.length));
  const heads = Object.keys(columns);
  const mark = (r: ScenarioResult | undefined) => (r === undefined ? "-" : r.passed ? "pass" : "FAIL");
  const lines = [[`${"scenario".padEnd(width)}`, ...heads.map((h) => h.padEnd(10))].join("  ")];
  for (const name of names) lines.push([name.padEnd(width), ...heads.map((h) => mark(columns[h]?.get(name)).padEnd(10))].join("  "));
  const passed = (m: Map<string, ScenarioResult>) => [...m.values()].filter((r) => r.passed).length;
  lines.push(`passed: ${heads.map((h) => `${h} ${passed(columns[h] ?? new Map<string, ScenarioResult>())}/${columns[h]?.size ?? 0}`).join(", ")}`);
  return lines.join("\n");
}

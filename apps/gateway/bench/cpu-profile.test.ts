import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { summarizeProfiles } from "./cpu-profile";

const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: "0" });

/** (root) → main → { hot (3 samples at t=1..3 ms), cold (1 sample at t=10 ms) }, one idle sample. */
const profile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), hitCount: 0, children: [2, 5] },
    { id: 2, callFrame: frame("main", "node:internal/main", 9), hitCount: 0, children: [3, 4] },
    { id: 3, callFrame: frame("hot", "node:internal/hot", 19), hitCount: 3 },
    { id: 4, callFrame: frame("cold", "node:internal/cold", 29), hitCount: 1 },
    { id: 5, callFrame: frame("(idle)"), hitCount: 1 },
  ],
  startTime: 0,
  endTime: 11_000,
  samples: [3, 3, 3, 5, 4],
  timeDeltas: [1_000, 1_000, 1_000, 1_000, 6_000],
};

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeProfile(): string {
  dir = mkdtempSync(join(tmpdir(), "bench-profile-"));
  mkdirSync(join(dir, "gateway"));
  writeFileSync(join(dir, "gateway", "CPU.1.cpuprofile"), JSON.stringify(profile));
  return dir;
}

describe("summarizeProfiles", () => {
  it("writes a summary, folded stacks, a flame graph and the gzipped profile in place of the profile", () => {
    const [summary] = summarizeProfiles(writeProfile(), new Map());
    const out = join(dir, "gateway");
    expect(summary).toBe(join(out, "summary.md"));
    expect(readFileSync(join(out, "summary.md"), "utf8")).toContain("| `hot node:internal/hot:20` | 3 | 75.0 % |");
    expect(gunzipSync(readFileSync(join(out, "gateway.folded.gz"))).toString()).toBe("main node:internal/main:10;hot node:internal/hot:20 3\nmain node:internal/main:10;cold node:internal/cold:30 1\n");
    expect(readFileSync(join(out, "gateway.svg"), "utf8")).toContain("<title>hot node:internal/hot:20 (3 samples, 75.00 %)</title>");
    expect(JSON.parse(gunzipSync(readFileSync(join(out, "gateway.cpuprofile.gz"))).toString())).toEqual(profile);
    expect(existsSync(join(out, "CPU.1.cpuprofile"))).toBe(false);
  });

  it("counts only the samples inside the process's windows when it has any", () => {
    summarizeProfiles(writeProfile(), new Map([["gateway", [[9_000, 11_000]]]]));
    const text = readFileSync(join(dir, "gateway", "summary.md"), "utf8");
    expect(text).toContain("1 busy samples, 0 idle");
    expect(text).toContain("| `cold node:internal/cold:30` | 1 | 100.0 % |");
    expect(text).not.toContain("`hot ");
  });
});

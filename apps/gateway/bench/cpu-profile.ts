/**
 * Turns the `.cpuprofile` files `node --cpu-prof` wrote under a directory into what can be read
 * and kept in the repository (docs/profiles/): beside each profile a gzipped copy (the original is
 * removed), `summary.md` (top functions by self time, self time by package), folded stacks
 * (`.folded`, the format of Brendan Gregg's flamegraph.pl and speedscope) and an SVG flame graph.
 * Bundled code (the gateway's dist/cli.js) is mapped back to its TypeScript sources through the
 * bundle's source map, so frames name src/… files.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { fmt } from "./gateway-support";
import { flameGraphSvg, type FlameNode } from "./flame-graph";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const maps = new Map<string, SourceMap | undefined>();

function sourceMapOf(path: string): SourceMap | undefined {
  if (!maps.has(path)) maps.set(path, existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8")) as never) : undefined);
  return maps.get(path);
}

/**
 * `file:line` of a frame, relative to the repository. The gateway's bundle is mapped back to its
 * sources; packages in node_modules are not (their maps point outside the package).
 */
function location(frame: CallFrame): string {
  if (!frame.url) return "";
  if (!frame.url.startsWith("file://")) return `${frame.url}:${frame.lineNumber + 1}`;
  let path = fileURLToPath(frame.url);
  let line = frame.lineNumber + 1;
  const modules = path.lastIndexOf("node_modules/");
  if (modules >= 0) return `${path.slice(modules)}:${line}`;
  const entry = sourceMapOf(path)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && "originalSource" in entry) {
    path = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : join(dirname(path), entry.originalSource);
    line = entry.originalLine + 1;
  }
  const mappedModules = path.lastIndexOf("node_modules/");
  return `${mappedModules >= 0 ? path.slice(mappedModules) : relative(REPO, path)}:${line}`;
}

/** Native code (no script) is named `(native)`: socket writes and the like show up there. */
const frameName = (frame: CallFrame) => {
  const where = location(frame);
  const name = frame.functionName || "(anonymous)";
  return `${name}${where ? ` ${where}` : name.startsWith("(") ? "" : " (native)"}`.replaceAll(";", ",");
};

/** Where self time is charged in the "by package" table: a package, the repo's sources, or Node itself. */
function area(name: string): string {
  if (name.startsWith("(") && !name.includes(" ")) return name;
  if (name.startsWith("(garbage collector)")) return "(garbage collector)";
  if (name.endsWith(" (native)")) return "native code (bindings)";
  const where = name.split(" ").at(-1) ?? "";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (pkg) return pkg[1] as string;
  if (where.startsWith("node:")) return "Node.js built-ins";
  if (where.startsWith("apps/") || where.startsWith("packages/")) return where.split("/").slice(0, 2).join("/");
  return "other";
}

/**
 * Samples per node taken inside `windows` (µs on the monotonic clock the profiler also uses, as
 * process.hrtime does); every sample when there are none.
 */
function samplesPerNode(profile: CpuProfile, windows: Window[]): Map<number, number> {
  const counts = new Map<number, number>();
  let t = profile.startTime;
  (profile.samples ?? []).forEach((id, i) => {
    t += profile.timeDeltas?.[i] ?? 0;
    if (windows.length === 0 || windows.some(([from, to]) => t >= from && t <= to)) counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  return counts;
}

/** The profile as a tree of frames (same-named siblings merged), (root) and (idle) left out. */
function toTree(profile: CpuProfile, counts: Map<number, number>): FlameNode {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const root: FlameNode = { name: "all", self: 0, total: 0, children: new Map() };
  const rootNode = profile.nodes.find((n) => n.callFrame.functionName === "(root)") ?? profile.nodes[0];
  const walk = (node: ProfileNode, into: FlameNode) => {
    for (const id of node.children ?? []) {
      const child = byId.get(id);
      if (!child || child.callFrame.functionName === "(idle)") continue;
      const name = frameName(child.callFrame);
      let target = into.children.get(name);
      if (!target) into.children.set(name, (target = { name, self: 0, total: 0, children: new Map() }));
      target.self += counts.get(child.id) ?? 0;
      walk(child, target);
    }
  };
  if (rootNode) walk(rootNode, root);
  const sum = (n: FlameNode): number => (n.total = n.self + [...n.children.values()].reduce((s, c) => s + sum(c), 0));
  sum(root);
  const prune = (n: FlameNode) => {
    for (const [name, c] of n.children) if (c.total === 0) n.children.delete(name);
    else prune(c);
  };
  prune(root);
  return root;
}

function folded(root: FlameNode): string {
  const lines: string[] = [];
  const walk = (n: FlameNode, stack: string[]) => {
    if (n.self > 0) lines.push(`${stack.join(";")} ${n.self}`);
    for (const c of n.children.values()) walk(c, [...stack, c.name]);
  };
  for (const c of root.children.values()) walk(c, [c.name]);
  return `${lines.join("\n")}\n`;
}

function summary(label: string, root: FlameNode, idle: number, scope: string): string {
  const self = new Map<string, number>();
  const byArea = new Map<string, number>();
  const add = (n: FlameNode) => {
    if (n.self > 0) {
      self.set(n.name, (self.get(n.name) ?? 0) + n.self);
      byArea.set(area(n.name), (byArea.get(area(n.name)) ?? 0) + n.self);
    }
    for (const c of n.children.values()) add(c);
  };
  add(root);
  const pct = (n: number) => `${fmt((100 * n) / Math.max(1, root.total), 1)} %`;
  const rows = (m: Map<string, number>, limit: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, n]) => `| \`${name}\` | ${fmt(n)} | ${pct(n)} |`);
  return [
    `# CPU profile: ${label}`,
    "",
    `\`node --cpu-prof\` (1 ms sampling) of the ${label} process under \`npm run bench:gateway\`, ${scope}: ${fmt(root.total)} busy samples, ${fmt(idle)} idle. Percentages are of the busy samples; on a loaded machine the sampler fires less often, so read shares, not milliseconds. Flame graph: \`${label}.svg\`; folded stacks (flamegraph.pl, speedscope): \`${label}.folded.gz\`; the profile itself (Chrome DevTools, speedscope): \`${label}.cpuprofile.gz\`.`,
    "",
    "## Self time by package or source area",
    "",
    "| where | samples | % |",
    "|---|---|---|",
    ...rows(byArea, 15),
    "",
    "## Top 30 functions by self time",
    "",
    "| function | samples | % |",
    "|---|---|---|",
    ...rows(self, 30),
    "",
  ].join("\n");
}

/** Every `.cpuprofile` under `dir` (one level of subdirectories: one per process). */
function profilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return profilesUnder(path);
    return entry.endsWith(".cpuprofile") ? [path] : [];
  });
}

/** [from, to] in µs of process.hrtime. */
export type Window = [number, number];
export const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Summarizes every profile under `dir` in place (its subdirectory names the process); only the
 * samples inside that process's `windows` count, when it has any. Returns the summaries' paths.
 */
export function summarizeProfiles(dir: string, windows: Map<string, Window[]>): string[] {
  return profilesUnder(dir).map((path) => {
    const text = readFileSync(path, "utf8");
    const profile = JSON.parse(text) as CpuProfile;
    const label = basename(dirname(path));
    const out = dirname(path);
    const mine = windows.get(label) ?? [];
    const counts = samplesPerNode(profile, mine);
    const root = toTree(profile, counts);
    const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
    const idle = [...counts].reduce((s, [id, n]) => s + (idleIds.has(id) ? n : 0), 0);
    const scope = mine.length > 0 ? `samples taken during its ${mine.length} throughput runs (${fmt(mine.reduce((s, [from, to]) => s + to - from, 0) / 1e6, 1)} s)` : "the whole process life";
    writeFileSync(join(out, `${label}.folded.gz`), gzipSync(folded(root), { level: 9 }));
    writeFileSync(join(out, `${label}.svg`), flameGraphSvg(root, `${label} under bench:gateway — ${scope}`));
    writeFileSync(join(out, "summary.md"), summary(label, root, idle, scope));
    writeFileSync(join(out, `${label}.cpuprofile.gz`), gzipSync(text, { level: 9 }));
    rmSync(path);
    return join(out, "summary.md");
  });
}

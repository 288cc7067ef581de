/**
 * Realistic tool-call rows for `npm run seed:logs` and `npm run bench:explorer`: several servers
 * and tools with their own latency, a few clients and keys, sessions of tens to hundreds of calls,
 * an error mix whose messages carry numbers, ids and paths, payloads of varied size, evenly
 * spread over the days. Deterministic for a given seed. Demos and benchmarks only.
 */
import type { ClientType, LoggedMethod, ToolCallStatus } from "@switchyard/shared";
import { uuidv7 } from "@switchyard/shared";
import type { SeedLogRow } from "./seed-logs";

/** Small fast PRNG (mulberry32): the same seed gives the same rows. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(rand: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((n, [, w]) => n + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  // Rounding can leave r a hair above 0: the last item.
  return (items[items.length - 1] as readonly [T, number])[0];
}

const SERVERS: readonly (readonly [string, number, readonly (readonly [string, number])[], number])[] = [
  // name, weight, tools (name, weight), median latency ms
  ["github", 30, [["search_issues", 5], ["search_code", 4], ["get_issue", 6], ["create_issue", 1], ["list_pull_requests", 3]], 180],
  ["filesystem", 35, [["read_file", 10], ["write_file", 3], ["list_directory", 5], ["search_files", 2]], 4],
  ["postgres", 15, [["query", 6], ["list_tables", 1], ["describe_table", 2]], 35],
  ["slack", 8, [["post_message", 2], ["search_messages", 3]], 250],
  ["browser", 7, [["navigate", 3], ["screenshot", 2], ["click", 3]], 900],
  ["memory", 5, [["create_entities", 1], ["search_nodes", 2]], 8],
];
const SERVER_WEIGHTS = SERVERS.map((s) => [s, s[1]] as const);
const CLIENTS: readonly (readonly [ClientType, number])[] = [
  ["cursor", 35], ["claude_code", 25], ["vscode", 20], ["cline", 10], ["windsurf", 5], ["inspector", 3], ["other", 2],
];
const CLIENT_NAMES: Record<ClientType, string> = {
  cursor: "cursor-vscode", claude_code: "claude-code", vscode: "Visual Studio Code", cline: "Cline", windsurf: "windsurf-client", inspector: "inspector", other: "custom-agent",
};
const METHODS: readonly (readonly [LoggedMethod, number])[] = [["tools/call", 92], ["resources/read", 4], ["prompts/get", 3], ["completion/complete", 1]];
const STATUSES: readonly (readonly [ToolCallStatus, number])[] = [["success", 930], ["error", 45], ["timeout", 10], ["cancelled", 5], ["rejected", 10]];
const ERRORS: readonly ((r: () => number) => string)[] = [
  (r) => `ECONNREFUSED 10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}:${5000 + Math.floor(r() * 1000)}`,
  (r) => `ENOENT: no such file or directory, open '/home/dev/project/src/module${Math.floor(r() * 400)}.ts'`,
  (r) => `GitHub API rate limit exceeded; retry after ${Math.floor(r() * 3600)} seconds`,
  (r) => `Issue #${Math.floor(r() * 9000) + 1} not found`,
  (r) => `relation "table_${Math.floor(r() * 50)}" does not exist`,
  (r) => `Invalid arguments: expected string at params.path, received number (request ${Math.floor(r() * 1e9).toString(16)})`,
  () => "Navigation timeout of 30000 ms exceeded",
];
/** Words for payloads: a Zipf-like pick, so a few are common and most are rare. */
const WORDS = (
  "function return const import export default class interface type async await promise error value result data config user project " +
  "server client request response header status message query table column index select insert update delete where order limit " +
  "component render state effect memo router layout page route handler middleware session token cache redis postgres migration schema"
).split(" ");

function words(rand: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const rank = Math.floor(WORDS.length * Math.pow(rand(), 3));
    out.push(WORDS[rank] ?? "value");
  }
  return out.join(" ");
}

/** A duration around `median` ms, log-normally spread. */
function duration(rand: () => number, median: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Math.max(0, Math.round(median * Math.exp(0.9 * z)));
}

export interface SeedSession {
  id: string;
  clientType: ClientType;
  clientName: string;
  apiKeyId: string | null;
  transport: "streamable_http" | "sse";
  startedAt: Date;
  lastActivityAt: Date;
  calls: number;
  failed: number;
}

export interface GenerateOptions {
  projectId: string;
  rows: number;
  end: Date;
  days: number;
  apiKeyIds: string[];
  serverIds?: Record<string, string>;
  seed?: number;
  /** Generate only rows `fromIndex <= i < toIndex` of the `rows`-row timeline (default: all). */
  fromIndex?: number;
  toIndex?: number;
  /** One row in this many carries the rare word `RARE_WORD` in its input. */
  rareEvery?: number;
  onSession?: (s: SeedSession) => void;
}

/** The word the benchmark's rare-term search looks for. */
export const RARE_WORD = "zebracorn";

/** Rows oldest first; each finished (or still open) session is reported through `onSession`. */
export function* generateSeedRows(o: GenerateOptions): Generator<SeedLogRow> {
  const rand = prng(o.seed ?? 42);
  const span = o.days * 86_400_000;
  const start = o.end.getTime() - span;
  const rareEvery = o.rareEvery ?? 200_000;
  const open: { s: SeedSession; left: number }[] = [];
  const newSession = (at: number) => {
    const clientType = weighted(rand, CLIENTS);
    const s: SeedSession = {
      id: uuidv7(at),
      clientType,
      clientName: CLIENT_NAMES[clientType],
      apiKeyId: o.apiKeyIds.length ? (o.apiKeyIds[Math.floor(rand() * o.apiKeyIds.length)] ?? null) : null,
      transport: rand() < 0.8 ? "streamable_http" : "sse",
      startedAt: new Date(at),
      lastActivityAt: new Date(at),
      calls: 0,
      failed: 0,
    };
    return { s, left: 10 + Math.floor(rand() * rand() * 400) };
  };
  for (let i = o.fromIndex ?? 0; i < Math.min(o.toIndex ?? o.rows, o.rows); i++) {
    const base = start + (i / o.rows) * span;
    const at = Math.min(o.end.getTime() - 1, Math.round(base + rand() * (span / o.rows)));
    while (open.length < 40) open.push(newSession(at));
    const slot = Math.floor(rand() * open.length);
    const sess = open[slot] as { s: SeedSession; left: number };
    const [serverName, , tools, median] = weighted(rand, SERVER_WEIGHTS);
    const method = weighted(rand, METHODS);
    const tool = method === "tools/call" ? weighted(rand, tools) : method === "resources/read" ? `file:///home/dev/project/src/file${Math.floor(rand() * 300)}.ts` : method === "prompts/get" ? "code_review" : "complete_path";
    const status = weighted(rand, STATUSES);
    const ms = status === "timeout" ? 30_000 + Math.floor(rand() * 50) : duration(rand, median);
    const rare = i % rareEvery === rareEvery - 1 ? ` ${RARE_WORD}` : "";
    const input = { query: words(rand, 2 + Math.floor(rand() * 8)) + rare, path: `/home/dev/project/src/file${Math.floor(rand() * 300)}.ts`, limit: 10 + Math.floor(rand() * 90) };
    const outputText = status === "success" ? words(rand, 10 + Math.floor(rand() * rand() * 300)) : undefined;
    const errorPick = ERRORS[Math.floor(rand() * ERRORS.length)];
    yield {
      id: uuidv7(at),
      projectId: o.projectId,
      serverName,
      serverId: o.serverIds?.[serverName] ?? null,
      sessionId: sess.s.id,
      apiKeyId: sess.s.apiKeyId,
      method,
      toolName: tool,
      status,
      errorMessage: status === "error" && errorPick ? errorPick(rand) : status === "timeout" ? "Request timed out after 30000 ms" : status === "rejected" ? "Tool is disabled" : null,
      input,
      output: outputText === undefined ? undefined : { content: [{ type: "text", text: outputText }] },
      durationMs: ms,
      startedAt: new Date(at),
      clientType: sess.s.clientType,
    };
    sess.s.calls++;
    if (status === "error" || status === "timeout" || status === "rejected") sess.s.failed++;
    sess.s.lastActivityAt = new Date(at + ms);
    if (--sess.left <= 0) {
      o.onSession?.(sess.s);
      open.splice(slot, 1);
    }
  }
  for (const { s } of open) o.onSession?.(s);
}

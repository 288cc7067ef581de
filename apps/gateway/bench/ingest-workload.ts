/**
 * The calls `bench:ingest` and `ingest-parts.ts` write: 5 projects × 4 servers × 6 tools, 85 %
 * success, log-normal durations, 200 client sessions, scrubbing on (two secrets, a regex and a key rule).
 */
import { randomBytes } from "node:crypto";
import { uuidv7, type ClientType, type ToolCallStatus } from "@switchyard/shared";
import type { ScrubContext, ToolCallRecord } from "@switchyard/db/call-log";

export const projects = Array.from({ length: 5 }, () => uuidv7());
export const servers = ["github", "filesystem", "postgres", "search"].map((name) => ({ id: uuidv7(), name }));
export const tools = ["search", "read_file", "list_items", "create_issue", "query", "fetch"];
const clients: ClientType[] = ["cursor", "cursor", "claude_code", "vscode", "cline", "windsurf", "other"];
const STATUS_WEIGHTS: [ToolCallStatus, number][] = [
  ["success", 0.85],
  ["error", 0.08],
  ["timeout", 0.03],
  ["cancelled", 0.02],
  ["rejected", 0.02],
];
const words = "the quick brown fox jumps over lazy dogs while tools return small json results to clients".split(" ");
const outputs = Array.from({ length: 64 }, (_, i) => ({
  content: [{ type: "text", text: Array.from({ length: 20 + ((i * 37) % 120) }, (_unused, j) => words[(i + j) % words.length]).join(" ") }],
}));
// One context per (project, server), reused as the gateway would, so scrubbers are compiled once.
const scrubs = new Map<string, ScrubContext>();
export function scrubFor(projectId: string, serverName: string): ScrubContext {
  const key = `${projectId}/${serverName}`;
  let ctx = scrubs.get(key);
  if (!ctx) {
    ctx = {
      secrets: [`ghp_${randomBytes(12).toString("hex")}`, `sk-${randomBytes(16).toString("hex")}`],
      rules: [
        { type: "regex", pattern: "\\b\\d{3}-\\d{2}-\\d{4}\\b", replacement: "[REDACTED]" },
        { type: "key", key: "password" },
      ],
      policy: "full",
    };
    scrubs.set(key, ctx);
  }
  return ctx;
}

function pickStatus(r: number): ToolCallStatus {
  let acc = 0;
  for (const [s, w] of STATUS_WEIGHTS) {
    acc += w;
    if (r < acc) return s;
  }
  return "success";
}

/** Log-normal-ish durations: mostly tens of ms, a tail into seconds. */
function duration(r1: number, r2: number): number {
  const z = Math.sqrt(-2 * Math.log(r1 || 1e-9)) * Math.cos(2 * Math.PI * r2);
  return Math.max(0, Math.round(Math.exp(3.5 + 1.3 * z)));
}

export const sessions = Array.from({ length: 200 }, (_, i) => ({ id: uuidv7(), projectId: projects[i % projects.length] ?? "", apiKeyId: uuidv7() }));

export function makeRecord(i: number): ToolCallRecord {
  const session = sessions[i % sessions.length] ?? sessions[0];
  if (!session) throw new Error("no sessions");
  const server = servers[(i * 7) % servers.length] ?? servers[0];
  if (!server) throw new Error("no servers");
  const tool = tools[(i * 13) % tools.length] ?? "search";
  const status = pickStatus(Math.random());
  const durationMs = status === "timeout" ? 30_000 : duration(Math.random(), Math.random());
  const finished = Date.now();
  return {
    id: uuidv7(finished - durationMs),
    projectId: session.projectId,
    serverId: server.id,
    serverName: server.name,
    sessionId: session.id,
    apiKeyId: session.apiKeyId,
    userId: null,
    toolName: tool,
    exposedName: `${server.name}__${tool}`,
    status,
    errorCode: status === "success" ? null : -32_000,
    errorMessage: status === "success" ? null : `${status}: upstream ${server.name} failed on ${tool}`,
    input: { query: `${words[i % words.length]} ${i}`, path: `/src/module-${i % 500}.ts`, limit: 20, options: { recursive: i % 2 === 0 } },
    output: status === "success" ? outputs[i % outputs.length] : null,
    durationMs,
    startedAt: new Date(finished - durationMs),
    finishedAt: new Date(finished),
    requestId: String(i),
    clientType: clients[i % clients.length] ?? "other",
  };
}

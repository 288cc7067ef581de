/**
 * What the MCP layer needs from the upstream pool and the log writer, as interfaces: the real
 * `UpstreamPool` and `LogWriter` satisfy them structurally, and the sessions, catalogue and call
 * handler depend on nothing more.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { ServerInfo } from "@switchyard/shared";
import type { ZodType } from "zod";
import type { UpstreamCallOptions, UpstreamToolCall } from "./upstream/upstream-pool";
import type { LogWriterStats, ScrubContext, SessionPatch, SessionStart, ToolCallRecord } from "@switchyard/db/call-log";

export type { ScrubContext, SessionPatch, SessionStart, ToolCallRecord, UpstreamCallOptions, UpstreamToolCall };

export interface UpstreamPoolPort {
  callTool(opts: UpstreamCallOptions, params: UpstreamToolCall): Promise<CallToolResult>;
  listTools(opts: UpstreamCallOptions): Promise<Tool[]>;
  request<T>(opts: UpstreamCallOptions, req: { method: string; params?: Record<string, unknown> }, resultSchema: ZodType<T>): Promise<T>;
  notify(opts: Omit<UpstreamCallOptions, "signal" | "onProgress">, n: { method: string; params?: Record<string, unknown> }): Promise<void>;
  serverInfo(opts: UpstreamCallOptions): Promise<ServerInfo>;
  onListChanged(cb: (projectId: string, serverId: string, kind: string) => void): () => void;
  releaseSession(sessionId: string): unknown;
  invalidate(serverId: string): unknown;
  stats(): { upstreams: number; processes: number; openCircuits: number };
  close(): Promise<void>;
}

export interface LogWriterPort {
  recordCall(rec: ToolCallRecord, scrub: ScrubContext): void;
  sessionStarted(s: SessionStart): void;
  sessionActivity(sessionId: string, at: Date, call?: { failed: boolean }): void;
  sessionUpdated(sessionId: string, patch: SessionPatch): void;
  sessionEnded(sessionId: string, at: Date, reason: string): void;
  sessionReleased(sessionId: string): void;
  rateLimited(projectId: string, apiKeyId: string, at: Date): void;
  stats(): LogWriterStats;
}

/** What the gateway hands to the log writer. */
import type { DbHandle } from "../client";
import type { ClientTransport, ClientType, LoggedMethod, LogPayloadPolicy, RedactionRule, ToolCallStatus } from "@switchyard/shared";

/** One tools/call, as it ends (any status, including `rejected`). */
export interface ToolCallRecord {
  /** UUIDv7 of the call (`uuidv7()` from @switchyard/shared); the row's id, so retries stay idempotent. */
  id: string;
  projectId: string;
  serverId: string | null;
  serverName: string;
  sessionId: string | null;
  apiKeyId: string | null;
  /** Console user, for try-it calls. */
  userId: string | null;
  /** MCP method (default `tools/call`). */
  method?: LoggedMethod;
  /** Upstream tool name; the prompt name or resource URI for the other methods. */
  toolName: string;
  exposedName: string;
  status: ToolCallStatus;
  errorCode: number | null;
  errorMessage: string | null;
  /** Raw arguments and result; scrubbed and truncated by the writer, off the request path. */
  input: unknown;
  output: unknown;
  durationMs: number;
  startedAt: Date;
  finishedAt: Date;
  /** JSON-RPC request id as the client sent it. */
  requestId: string | null;
  clientType: ClientType;
  /** Requests the upstream made of the client during the call (sampling, elicitation, roots), and their time. */
  relayCount?: number;
  relayMs?: number;
}

/**
 * How a call's payloads are stored. Reuse one object per (project, server) and configuration:
 * the compiled scrubber is cached per object.
 */
export interface ScrubContext {
  /** Known secret values of the server (`serverSecretValues`). */
  secrets: string[];
  rules: RedactionRule[];
  policy: LogPayloadPolicy;
  /** Serialized size past which a payload is stored as a preview (default 64 KiB). */
  maxPayloadBytes?: number;
}

/** A client connection, when its session is created. */
export interface SessionStart {
  id: string;
  projectId: string;
  /** Null for the aggregated project endpoint. */
  serverId: string | null;
  apiKeyId: string | null;
  userId: string | null;
  transport: ClientTransport;
  clientName?: string;
  clientVersion?: string;
  clientType: ClientType;
  protocolVersion?: string;
  userAgent?: string;
  ip?: string;
  gatewayInstance: string;
  startedAt: Date;
}

export interface SessionPatch {
  clientName?: string;
  clientVersion?: string;
  clientType?: ClientType;
  protocolVersion?: string;
}

export interface LogWriterOptions {
  /** The postgres.js client of `createDb`. */
  sql: DbHandle["sql"];
  /** How often queued rows are written (default 100 ms): also the crash loss bound. */
  flushIntervalMs?: number;
  /** Rows per INSERT statement (default 2,000); a full batch is written without waiting for the interval. */
  maxBatch?: number;
  /** Batches written at once (default 2): the next is prepared while they run. */
  writesInFlight?: number;
  /** Records held in memory (default 20,000); past it they go to the spill file, past twice it they are dropped. */
  maxQueue?: number;
  /** Append-only NDJSON file for rows the database could not take yet; replayed when it is back. */
  spillPath: string;
  /** Cap of the spill file (default 256 MiB); rows beyond it are dropped and counted. */
  spillMaxBytes?: number;
  /** Longest wait between attempts while the database is down (default 5 s). */
  maxRetryDelayMs?: number;
  /** Every failed write or spill, for the gateway's own log (never contains payloads). */
  onError?: (e: unknown) => void;
}

export interface LogWriterStats {
  /** Records in memory, not yet in the database or the spill file. */
  queued: number;
  /** Rows confirmed in the database (directly or replayed from the spill file). */
  written: number;
  /** Rows lost for good: spill file full or unusable, refused by the database, recorded after close. */
  dropped: number;
  /** Rows appended to the spill file (cumulative). */
  spilled: number;
  /** Rows written from the spill file (cumulative, included in `written`). */
  replayed: number;
  /** Bytes currently held by the spill file(s). */
  spillBytes: number;
  lastError?: string;
}

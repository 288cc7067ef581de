/**
 * Turns a ToolCallRecord into the JSON text of one `tool_call_logs` row: payloads scrubbed,
 * truncated or left out by policy, every field made acceptable to Postgres so that one bad
 * record cannot make a whole batch fail. Its keys are the table's columns, checked against the schema.
 */
import {
  CLIENT_TYPES,
  createPayloadScrubber,
  DEFAULT_MAX_PAYLOAD_BYTES,
  LOGGED_METHODS,
  sanitizeString,
  serializePayload,
  serializeUnscrubbed,
  TOOL_CALL_STATUSES,
  UUID_PATTERN,
  type ClientType,
  type PayloadScrubber,
  type ToolCallStatus,
} from "@switchyard/shared";
import type { toolCallLogs } from "../schema";
import type { ColumnName } from "./ingest-statement";
import type { ScrubContext, ToolCallRecord } from "./types";

const MAX_ERROR_MESSAGE_CHARS = 8_192;
const MAX_NAME_CHARS = 512;
const INT32_MAX = 2_147_483_647;

const scrubbers = new WeakMap<ScrubContext, PayloadScrubber>();

function scrubberFor(ctx: ScrubContext): PayloadScrubber {
  let s = scrubbers.get(ctx);
  if (!s) {
    s = createPayloadScrubber(ctx);
    scrubbers.set(ctx, s);
  }
  return s;
}

function uuidOrNull(v: string | null): string | null {
  return v !== null && UUID_PATTERN.test(v) ? v : null;
}

function text(v: string, max: number): string {
  return sanitizeString(v.length > max ? v.slice(0, max) : v);
}

function iso(d: Date, fallback: number): string {
  const t = d instanceof Date ? d.getTime() : NaN;
  return new Date(Number.isFinite(t) ? t : fallback).toISOString();
}

/** A non-negative int4 from an optional count (absent: 0). */
const count = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? Math.min(INT32_MAX, Math.max(0, Math.round(n))) : 0);

export type PreparedCall = { ok: true; json: string } | { ok: false; reason: string };

/** Never throws: a record that cannot become a row comes back with the reason. */
export function prepareCallRow(rec: ToolCallRecord, ctx: ScrubContext): PreparedCall {
  try {
    if (!UUID_PATTERN.test(rec.id)) return { ok: false, reason: "tool call id is not a uuid" };
    if (!UUID_PATTERN.test(rec.projectId)) return { ok: false, reason: "tool call project id is not a uuid" };
    const now = Date.now();
    const scrub = scrubberFor(ctx);
    const maxBytes = ctx.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    const full = ctx.policy === "full";
    // Nothing to mask (no rules, no secrets): serialized as is, without the scrubber's deep copy, when that stores the same.
    const plain = ctx.rules.length === 0 && ctx.secrets.length === 0;
    const payload = (v: unknown) => (plain && serializeUnscrubbed(v, maxBytes)) || serializePayload(scrub(v), maxBytes);
    const input = full ? payload(rec.input) : null;
    const output = full ? payload(rec.output) : null;
    const status: ToolCallStatus = (TOOL_CALL_STATUSES as readonly string[]).includes(rec.status) ? rec.status : "error";
    const method = rec.method !== undefined && (LOGGED_METHODS as readonly string[]).includes(rec.method) ? rec.method : "tools/call";
    const clientType: ClientType = (CLIENT_TYPES as readonly string[]).includes(rec.clientType) ? rec.clientType : "other";
    const relayCount = count(rec.relayCount);
    const relayMs = count(rec.relayMs);
    const duration = Number.isFinite(rec.durationMs) ? Math.min(INT32_MAX, Math.max(0, Math.round(rec.durationMs))) : 0;
    const errorCode =
      rec.errorCode !== null && Number.isInteger(rec.errorCode) && Math.abs(rec.errorCode) <= INT32_MAX ? rec.errorCode : null;
    // Error messages may echo upstream headers: scrub them like payloads, even under metadata_only.
    const errorMessage = rec.errorMessage === null ? null : (scrub(rec.errorMessage.slice(0, MAX_ERROR_MESSAGE_CHARS)) as string);
    const meta = JSON.stringify({
      id: rec.id,
      project_id: rec.projectId,
      server_id: uuidOrNull(rec.serverId),
      server_name: text(rec.serverName, MAX_NAME_CHARS),
      session_id: uuidOrNull(rec.sessionId),
      api_key_id: uuidOrNull(rec.apiKeyId),
      user_id: uuidOrNull(rec.userId),
      method,
      tool_name: text(rec.toolName, MAX_NAME_CHARS),
      exposed_name: text(rec.exposedName, MAX_NAME_CHARS),
      status,
      error_code: errorCode,
      error_message: errorMessage,
      input_truncated: input?.truncated ?? false,
      output_truncated: output?.truncated ?? false,
      input_size: input?.originalSize ?? null,
      output_size: output?.originalSize ?? null,
      duration_ms: duration,
      started_at: iso(rec.startedAt, now),
      finished_at: iso(rec.finishedAt, now),
      request_id: rec.requestId === null ? null : text(String(rec.requestId), MAX_NAME_CHARS),
      client_type: clientType,
      relay_count: relayCount,
      relay_ms: relayMs,
    } satisfies Record<Exclude<ColumnName<typeof toolCallLogs>, "input" | "output">, unknown>);
    // Payloads are spliced in as already-serialized JSON so they are stringified only once.
    const json = `${meta.slice(0, -1)},"input":${input?.json ?? "null"},"output":${output?.json ?? "null"}}`;
    return { ok: true, json };
  } catch (e) {
    return { ok: false, reason: `tool call record could not be serialized: ${(e as Error).message}` };
  }
}

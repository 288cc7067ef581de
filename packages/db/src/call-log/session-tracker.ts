/**
 * Coalesces client-session changes and rate-limit refusals between flushes, so that a busy session
 * costs one upsert per batch and a flood of 429s one counter row per key and minute.
 *
 * Every session row carries the session's full description (kept here while it is open), so the
 * upsert can create the row whichever batch lands first, e.g. a start that went to the spill file
 * while a later activity did not. Counters are deltas and add up; activity and end times only move
 * forward.
 */
import { sanitizeString, UUID_PATTERN, type ClientTransport, type ClientType } from "@switchyard/shared";
import type { clientSessions, rateLimitedCalls } from "../schema";
import type { ColumnsOf } from "./ingest-statement";
import type { SessionPatch, SessionStart } from "./types";

/** One `client_sessions` upsert. */
export type SessionRow = ColumnsOf<
  typeof clientSessions,
  {
  id: string;
  project_id: string;
  server_id: string | null;
  api_key_id: string | null;
  user_id: string | null;
  transport: ClientTransport;
  client_name: string | null;
  client_version: string | null;
  client_type: ClientType;
  protocol_version: string | null;
  user_agent: string | null;
  ip: string | null;
  gateway_instance: string;
  started_at: string;
  last_activity_at: string;
  ended_at: string | null;
  end_reason: string | null;
  calls_total: number;
  calls_failed: number;
  }
>;

/** One `rate_limited_calls` increment. */
export type RateRow = ColumnsOf<typeof rateLimitedCalls, { project_id: string; api_key_id: string; minute: string; count: number }>;

type SessionState = Omit<SessionRow, "ended_at" | "end_reason" | "calls_total" | "calls_failed"> & {
  lastActivityMs: number;
};

interface SessionDelta {
  state: SessionState;
  callsTotal: number;
  callsFailed: number;
  endedAt: string | null;
  endReason: string | null;
}

const MAX_TEXT = 512;

function opt(v: string | undefined | null): string | null {
  if (v === undefined || v === null) return null;
  return sanitizeString(v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v);
}

function validTime(d: Date): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  return Number.isFinite(t) ? t : Date.now();
}

export class SessionTracker {
  private readonly open = new Map<string, SessionState>();
  private dirty = new Map<string, SessionDelta>();
  private rates = new Map<string, RateRow>();

  /** Sessions still open (known to this writer). */
  get openCount(): number {
    return this.open.size;
  }

  get pendingCount(): number {
    return this.dirty.size + this.rates.size;
  }

  started(s: SessionStart): void {
    if (!UUID_PATTERN.test(s.id) || !UUID_PATTERN.test(s.projectId)) return;
    const at = validTime(s.startedAt);
    const state: SessionState = {
      id: s.id,
      project_id: s.projectId,
      server_id: s.serverId !== null && UUID_PATTERN.test(s.serverId) ? s.serverId : null,
      api_key_id: s.apiKeyId !== null && UUID_PATTERN.test(s.apiKeyId) ? s.apiKeyId : null,
      user_id: s.userId !== null && UUID_PATTERN.test(s.userId) ? s.userId : null,
      transport: s.transport,
      client_name: opt(s.clientName),
      client_version: opt(s.clientVersion),
      client_type: s.clientType,
      protocol_version: opt(s.protocolVersion),
      user_agent: opt(s.userAgent),
      ip: opt(s.ip),
      gateway_instance: opt(s.gatewayInstance) ?? "",
      started_at: new Date(at).toISOString(),
      last_activity_at: new Date(at).toISOString(),
      lastActivityMs: at,
    };
    this.open.set(s.id, state);
    this.delta(state);
  }

  activity(sessionId: string, at: Date, call?: { failed: boolean }): void {
    const state = this.open.get(sessionId);
    if (!state) return;
    const t = validTime(at);
    if (t > state.lastActivityMs) {
      state.lastActivityMs = t;
      state.last_activity_at = new Date(t).toISOString();
    }
    const d = this.delta(state);
    if (call) {
      d.callsTotal++;
      if (call.failed) d.callsFailed++;
    }
  }

  updated(sessionId: string, patch: SessionPatch): void {
    const state = this.open.get(sessionId);
    if (!state) return;
    if (patch.clientName !== undefined) state.client_name = opt(patch.clientName);
    if (patch.clientVersion !== undefined) state.client_version = opt(patch.clientVersion);
    if (patch.clientType !== undefined) state.client_type = patch.clientType;
    if (patch.protocolVersion !== undefined) state.protocol_version = opt(patch.protocolVersion);
    this.delta(state);
  }

  ended(sessionId: string, at: Date, reason: string): void {
    const state = this.open.get(sessionId);
    if (!state) return;
    const d = this.delta(state);
    d.endedAt = new Date(validTime(at)).toISOString();
    d.endReason = opt(reason) ?? "";
    this.open.delete(sessionId);
  }

  /** Forgets an open session without ending it (another instance serves it now); what is pending is still written. */
  released(sessionId: string): void {
    this.open.delete(sessionId);
  }

  rateLimited(projectId: string, apiKeyId: string, at: Date): void {
    if (!UUID_PATTERN.test(projectId) || !UUID_PATTERN.test(apiKeyId)) return;
    const minuteMs = Math.floor(validTime(at) / 60_000) * 60_000;
    const key = `${projectId}|${apiKeyId}|${minuteMs}`;
    const row = this.rates.get(key);
    if (row) row.count++;
    else this.rates.set(key, { project_id: projectId, api_key_id: apiKeyId, minute: new Date(minuteMs).toISOString(), count: 1 });
  }

  /** Everything changed since the last drain, as rows; the tracker starts a new batch. */
  drain(): { sessions: SessionRow[]; rates: RateRow[] } {
    const sessions: SessionRow[] = [];
    for (const d of this.dirty.values()) {
      const { lastActivityMs: _ignored, ...state } = d.state;
      sessions.push({
        ...state,
        ended_at: d.endedAt,
        end_reason: d.endReason,
        calls_total: d.callsTotal,
        calls_failed: d.callsFailed,
      });
    }
    const rates = [...this.rates.values()];
    this.dirty = new Map();
    this.rates = new Map();
    return { sessions, rates };
  }

  private delta(state: SessionState): SessionDelta {
    let d = this.dirty.get(state.id);
    if (!d) {
      d = { state, callsTotal: 0, callsFailed: 0, endedAt: null, endReason: null };
      this.dirty.set(state.id, d);
    }
    return d;
  }
}

/** Combines rows of the same session (from the spill file or a retried batch) the way the upsert would. */
export function mergeSessionRows(rows: readonly SessionRow[]): SessionRow[] {
  const byId = new Map<string, SessionRow>();
  for (const r of rows) {
    const prev = byId.get(r.id);
    if (!prev) {
      byId.set(r.id, { ...r });
      continue;
    }
    const newer = r.last_activity_at >= prev.last_activity_at ? r : prev;
    byId.set(r.id, {
      ...newer,
      started_at: prev.started_at < r.started_at ? prev.started_at : r.started_at,
      ended_at: prev.ended_at ?? r.ended_at,
      end_reason: prev.end_reason ?? r.end_reason,
      calls_total: prev.calls_total + r.calls_total,
      calls_failed: prev.calls_failed + r.calls_failed,
    });
  }
  return [...byId.values()];
}

/** Sums increments of the same key and minute. */
export function mergeRateRows(rows: readonly RateRow[]): RateRow[] {
  const byKey = new Map<string, RateRow>();
  for (const r of rows) {
    const key = `${r.project_id}|${r.api_key_id}|${r.minute}`;
    const prev = byKey.get(key);
    if (prev) prev.count += r.count;
    else byKey.set(key, { ...r });
  }
  return [...byKey.values()];
}

/**
 * Plain, JSON-safe shapes of database rows for client components and route handlers (dates as
 * ISO strings). Nothing secret goes in: URLs are reduced to their origin, env and header values
 * never leave the server here.
 */
import type { Keyring } from "@switchyard/core/secrets";
import type { McpServer } from "@switchyard/db";
import type { ServerStatus, ServerTransport } from "@switchyard/shared";

export interface ServerView {
  id: string;
  name: string;
  transport: ServerTransport;
  enabled: boolean;
  status: ServerStatus;
  statusCheckedAt: string | null;
  statusError: string | null;
  statusLatencyMs: number | null;
  toolsCount: number | null;
  heldTools: number;
  serverInfo: { name: string; version: string; protocolVersion: string | null } | null;
  /** `command` for stdio, the URL's origin for remote servers. */
  target: string;
  updatedAt: string;
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

function target(keyring: Keyring, row: McpServer): string {
  if (row.transport === "stdio") return row.command ?? "";
  if (!row.urlEnc) return "";
  try {
    return new URL(keyring.decrypt(row.urlEnc)).origin;
  } catch {
    return "(unreadable URL: secret key mismatch)";
  }
}

export function toServerView(keyring: Keyring, row: McpServer, heldTools = 0): ServerView {
  return {
    id: row.id,
    name: row.name,
    transport: row.transport,
    enabled: row.enabled,
    status: row.status,
    statusCheckedAt: iso(row.statusCheckedAt),
    statusError: row.statusError,
    statusLatencyMs: row.statusLatencyMs,
    toolsCount: row.toolsCount,
    heldTools,
    serverInfo: row.serverInfo ? { name: row.serverInfo.name, version: row.serverInfo.version, protocolVersion: row.serverInfo.protocolVersion ?? null } : null,
    target: target(keyring, row),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Value lists shared by the database enums, zod schemas and the console. */
export const TEAM_ROLES = ["owner", "admin", "developer", "reporter"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const SERVER_TRANSPORTS = ["stdio", "sse", "streamable_http"] as const;
export type ServerTransport = (typeof SERVER_TRANSPORTS)[number];

export const SERVER_ISOLATIONS = ["shared", "per_session"] as const;
export type ServerIsolation = (typeof SERVER_ISOLATIONS)[number];

/** `installing`: a package-runner command's first start on this machine is downloading its package. */
export const SERVER_STATUSES = ["unknown", "installing", "online", "degraded", "offline", "error"] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];

export const CLIENT_TRANSPORTS = ["sse", "streamable_http"] as const;
export type ClientTransport = (typeof CLIENT_TRANSPORTS)[number];

export const CLIENT_TYPES = ["cursor", "cline", "vscode", "claude_code", "windsurf", "inspector", "other"] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

export const TOOL_CALL_STATUSES = ["success", "error", "timeout", "cancelled", "rejected"] as const;
export type ToolCallStatus = (typeof TOOL_CALL_STATUSES)[number];

/** MCP requests recorded in `tool_call_logs` (the explorer's `method` facet). */
export const LOGGED_METHODS = ["tools/call", "prompts/get", "resources/read", "completion/complete"] as const;
export type LoggedMethod = (typeof LOGGED_METHODS)[number];

export const LOG_PAYLOAD_POLICIES = ["full", "metadata_only"] as const;
export type LogPayloadPolicy = (typeof LOG_PAYLOAD_POLICIES)[number];

export const NEW_TOOL_POLICIES = ["enabled", "held"] as const;
export type NewToolPolicy = (typeof NEW_TOOL_POLICIES)[number];

export const EVENT_LEVELS = ["debug", "info", "warn", "error"] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

export const SERVER_EVENT_CATEGORIES = [
  "startup",
  "exit",
  "crash",
  "restart",
  "stderr",
  "status_check",
  "tool_changed",
  "config",
] as const;
export type ServerEventCategory = (typeof SERVER_EVENT_CATEGORIES)[number];

export const WORKER_TRIGGERS = ["schedule", "manual", "change"] as const;
export type WorkerTrigger = (typeof WORKER_TRIGGERS)[number];

export const WORKER_RUN_STATUSES = ["running", "success", "failed"] as const;
export type WorkerRunStatus = (typeof WORKER_RUN_STATUSES)[number];

export const ACTIVITY_TYPES = [
  "team.created",
  "team.updated",
  "team.deleted",
  "project.created",
  "project.updated",
  "project.deleted",
  "member.invited",
  "member.joined",
  "member.removed",
  "member.role_changed",
  "invitation.revoked",
  "server.created",
  "server.updated",
  "server.deleted",
  "server.enabled",
  "server.disabled",
  "tool.enabled",
  "tool.disabled",
  "tool.approved",
  "api_key.created",
  "api_key.revoked",
  "session.ended",
  "settings.updated",
  "worker.paused",
  "worker.resumed",
  "worker.interval_changed",
  "worker.run_requested",
  "user.created",
  "user.updated",
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/**
 * Upper bounds (ms) of the fixed duration histogram kept in `tool_call_rollups`;
 * one more bucket counts everything above the last bound.
 */
export const DURATION_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] as const;

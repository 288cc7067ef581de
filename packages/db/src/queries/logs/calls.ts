/** The explorer's list of calls (keyset-paginated, newest first), one call's detail and its session context. */
import { sql, type SQL } from "drizzle-orm";
import type { ClientType, LogQueryNode, ToolCallStatus } from "@switchyard/shared";
import type { Executor } from "../../client";
import type { Page } from "../keyset";
import { iso, logsWhere, tenantProjects, type LogRange, type LogTenant } from "./filter";

export interface LogCall {
  /** `"<started_at ms>_<id>"`: the row's primary key, also its cursor. */
  key: string;
  id: string;
  projectId: string;
  startedAt: Date;
  durationMs: number;
  method: string;
  serverName: string;
  toolName: string;
  exposedName: string;
  status: ToolCallStatus;
  errorCode: number | null;
  errorMessage: string | null;
  clientType: ClientType;
  sessionId: string | null;
  apiKeyId: string | null;
  keyName: string | null;
  inputSize: number | null;
  outputSize: number | null;
}

export interface LogCallDetail extends LogCall {
  finishedAt: Date;
  requestId: string | null;
  userId: string | null;
  inputTruncated: boolean;
  outputTruncated: boolean;
  /** Present only when the caller may see payloads. */
  input?: unknown;
  output?: unknown;
}

type Row = Record<string, unknown>;

const LIST_COLUMNS = sql.raw(`l.id, l.project_id, l.started_at, l.duration_ms, l.method, l.server_name, l.tool_name, l.exposed_name,
  l.status, l.error_code, l.error_message, l.client_type, l.session_id, l.api_key_id, k.name as key_name, l.input_size, l.output_size`);

function toCall(r: Row): LogCall {
  const startedAt = new Date(r.started_at as string);
  return {
    key: `${startedAt.getTime()}_${r.id as string}`,
    id: r.id as string,
    projectId: r.project_id as string,
    startedAt,
    durationMs: r.duration_ms as number,
    method: r.method as string,
    serverName: r.server_name as string,
    toolName: r.tool_name as string,
    exposedName: r.exposed_name as string,
    status: r.status as ToolCallStatus,
    errorCode: (r.error_code as number | null) ?? null,
    errorMessage: (r.error_message as string | null) ?? null,
    clientType: r.client_type as ClientType,
    sessionId: (r.session_id as string | null) ?? null,
    apiKeyId: (r.api_key_id as string | null) ?? null,
    keyName: (r.key_name as string | null) ?? null,
    inputSize: (r.input_size as number | null) ?? null,
    outputSize: (r.output_size as number | null) ?? null,
  };
}

const KEY = /^(\d{1,15})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Splits a row key / cursor; undefined when malformed. */
export function parseCallKey(key: string): { at: Date; id: string } | undefined {
  const m = KEY.exec(key);
  if (!m?.[1] || !m[2]) return undefined;
  return { at: new Date(Number(m[1])), id: m[2] };
}

export interface ListLogCallsOptions {
  range: LogRange;
  query: LogQueryNode | null;
  /** `nextCursor` of the previous page. */
  before?: string;
  limit?: number;
}

/** Rows per list page at most (the explorer's later pages are this large: fewer round trips when scrolling deep). */
export const MAX_LIST_PAGE = 500;

/**
 * Calls matching the query, newest first. The cursor is the last row's `(started_at, id)`, so
 * rows arriving while the user pages (always newer) never shift later pages.
 */
export async function listLogCalls(db: Executor, tenant: LogTenant, opts: ListLogCallsOptions): Promise<Page<LogCall>> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), MAX_LIST_PAGE);
  const cursor = opts.before ? parseCallKey(opts.before) : undefined;
  const older = cursor ? sql` and (l.started_at, l.id) < (${iso(cursor.at)}, ${cursor.id}::uuid)` : sql``;
  const rows = await db.execute<Row>(sql`select ${LIST_COLUMNS}
    from tool_call_logs l left join api_keys k on k.id = l.api_key_id
    where ${logsWhere(tenant, opts.range, opts.query)}${older}
    order by l.started_at desc, l.id desc
    limit ${limit + 1}`);
  const items = rows.slice(0, limit).map(toCall);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.key : null };
}

/** One call by its key; undefined when missing or another tenant's. */
export async function getLogCall(db: Executor, tenant: LogTenant, key: string, opts: { withPayloads: boolean }): Promise<LogCallDetail | undefined> {
  const k = parseCallKey(key);
  if (!k) return undefined;
  const payloads = opts.withPayloads ? sql`, l.input, l.output` : sql``;
  const [r] = await db.execute<Row>(sql`select ${LIST_COLUMNS}, l.finished_at, l.request_id, l.user_id, l.input_truncated, l.output_truncated${payloads}
    from tool_call_logs l left join api_keys k on k.id = l.api_key_id
    where l.project_id = any(${tenantProjects(tenant)}) and l.started_at = ${iso(k.at)} and l.id = ${k.id}::uuid`);
  if (!r) return undefined;
  return {
    ...toCall(r),
    finishedAt: new Date(r.finished_at as string),
    requestId: (r.request_id as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    inputTruncated: r.input_truncated as boolean,
    outputTruncated: r.output_truncated as boolean,
    ...(opts.withPayloads ? { input: r.input ?? null, output: r.output ?? null } : {}),
  };
}

/** Up to `around` calls of the same session before and after the call `key`, oldest first. */
export async function listCallContext(db: Executor, tenant: LogTenant, key: string, around = 5): Promise<{ before: LogCall[]; after: LogCall[] } | undefined> {
  const k = parseCallKey(key);
  if (!k) return undefined;
  const projects = tenantProjects(tenant);
  const [self] = await db.execute<Row>(
    sql`select l.session_id from tool_call_logs l where l.project_id = any(${projects}) and l.started_at = ${iso(k.at)} and l.id = ${k.id}::uuid`,
  );
  if (!self) return undefined;
  const sessionId = self.session_id as string | null;
  if (!sessionId) return { before: [], after: [] };
  const side = (cmp: SQL, order: SQL) =>
    db.execute<Row>(sql`select ${LIST_COLUMNS} from tool_call_logs l left join api_keys k on k.id = l.api_key_id
      where l.session_id = ${sessionId}::uuid and l.project_id = any(${projects}) and ${cmp}
      order by ${order} limit ${around}`);
  const [before, after] = await Promise.all([
    side(sql`(l.started_at, l.id) < (${iso(k.at)}, ${k.id}::uuid)`, sql`l.started_at desc, l.id desc`),
    side(sql`(l.started_at, l.id) > (${iso(k.at)}, ${k.id}::uuid)`, sql`l.started_at, l.id`),
  ]);
  return { before: before.map(toCall).reverse(), after: after.map(toCall) };
}

/**
 * Every call matching the query, newest first, read in keyset pages of `pageSize` so an export of
 * millions of rows never holds more than one page in memory.
 */
export async function* iterateLogCalls(
  db: Executor,
  tenant: LogTenant,
  opts: { range: LogRange; query: LogQueryNode | null; withPayloads: boolean; pageSize?: number; max?: number },
): AsyncGenerator<LogCall & { input?: unknown; output?: unknown }> {
  const size = opts.pageSize ?? 1000;
  const payloads = opts.withPayloads ? sql`, l.input, l.output` : sql``;
  let cursor: { at: Date; id: string } | undefined;
  let sent = 0;
  for (;;) {
    const older = cursor ? sql` and (l.started_at, l.id) < (${iso(cursor.at)}, ${cursor.id}::uuid)` : sql``;
    const rows = await db.execute<Row>(sql`select ${LIST_COLUMNS}${payloads}
      from tool_call_logs l left join api_keys k on k.id = l.api_key_id
      where ${logsWhere(tenant, opts.range, opts.query)}${older}
      order by l.started_at desc, l.id desc limit ${size}`);
    for (const r of rows) {
      const call = toCall(r);
      yield opts.withPayloads ? { ...call, input: r.input ?? null, output: r.output ?? null } : call;
      if (++sent >= (opts.max ?? Infinity)) return;
    }
    const last = rows.at(-1);
    if (rows.length < size || !last) return;
    cursor = { at: new Date(last.started_at as string), id: last.id as string };
  }
}

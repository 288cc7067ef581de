/** The console's sessions page: client sessions of a team or project, one session, and ending one. */
import { sql } from "drizzle-orm";
import type { ClientTransport, ClientType } from "@switchyard/shared";
import type { Executor } from "../client";
import { pageLimit, type Page } from "./keyset";
import { iso, tenantProjects, type LogTenant } from "./logs/filter";

export interface ClientSessionView {
  id: string;
  projectId: string;
  serverId: string | null;
  transport: ClientTransport;
  clientName: string | null;
  clientVersion: string | null;
  clientType: ClientType;
  apiKeyId: string | null;
  keyName: string | null;
  userId: string | null;
  userAgent: string | null;
  startedAt: Date;
  lastActivityAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  callsTotal: number;
  callsFailed: number;
}

export interface ClientSessionFilter {
  state?: "open" | "ended";
  clientType?: ClientType;
  keyId?: string;
  /** Substring of the client name. */
  q?: string;
  /** `nextCursor` of the previous page. */
  before?: string;
  limit?: number;
}

type Row = Record<string, unknown>;

const COLUMNS = sql.raw(`s.id, s.project_id, s.server_id, s.transport, s.client_name, s.client_version, s.client_type, s.api_key_id,
  k.name as key_name, s.user_id, s.user_agent, s.started_at, s.last_activity_at, s.ended_at, s.end_reason, s.calls_total, s.calls_failed`);

function toView(r: Row): ClientSessionView {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    serverId: (r.server_id as string | null) ?? null,
    transport: r.transport as ClientTransport,
    clientName: (r.client_name as string | null) ?? null,
    clientVersion: (r.client_version as string | null) ?? null,
    clientType: r.client_type as ClientType,
    apiKeyId: (r.api_key_id as string | null) ?? null,
    keyName: (r.key_name as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    userAgent: (r.user_agent as string | null) ?? null,
    startedAt: new Date(r.started_at as string),
    lastActivityAt: new Date(r.last_activity_at as string),
    endedAt: date(r.ended_at),
    endReason: (r.end_reason as string | null) ?? null,
    callsTotal: r.calls_total as number,
    callsFailed: r.calls_failed as number,
  };
}

const CURSOR = /^(\d{1,15})_([0-9a-f-]{36})$/i;

/** Sessions newest first (by start), keyset-paginated. */
export async function listClientSessions(db: Executor, tenant: LogTenant, filter: ClientSessionFilter = {}): Promise<Page<ClientSessionView>> {
  const limit = pageLimit(filter.limit, 50);
  const conds = [sql`s.project_id = any(${tenantProjects(tenant)})`];
  if (filter.state === "open") conds.push(sql`s.ended_at is null`);
  if (filter.state === "ended") conds.push(sql`s.ended_at is not null`);
  if (filter.clientType) conds.push(sql`s.client_type = ${filter.clientType}::client_type`);
  if (filter.keyId) conds.push(sql`s.api_key_id = ${filter.keyId}::uuid`);
  if (filter.q?.trim()) conds.push(sql`s.client_name ilike ${`%${filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  const m = filter.before ? CURSOR.exec(filter.before) : null;
  if (m?.[1] && m[2]) conds.push(sql`(s.started_at, s.id) < (${iso(new Date(Number(m[1])))}, ${m[2]}::uuid)`);
  const rows = await db.execute<Row>(sql`select ${COLUMNS} from client_sessions s left join api_keys k on k.id = s.api_key_id
    where ${sql.join(conds, sql` and `)} order by s.started_at desc, s.id desc limit ${limit + 1}`);
  const items = rows.slice(0, limit).map(toView);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.startedAt.getTime()}_${last.id}` : null };
}

/** One session; undefined when missing or another tenant's. */
export async function getClientSession(db: Executor, tenant: LogTenant, id: string): Promise<ClientSessionView | undefined> {
  const [r] = await db.execute<Row>(sql`select ${COLUMNS} from client_sessions s left join api_keys k on k.id = s.api_key_id
    where s.project_id = any(${tenantProjects(tenant)}) and s.id::text = ${id}`);
  return r ? toView(r) : undefined;
}

/**
 * Marks an open session of the project ended with `reason`; undefined when it is missing,
 * another project's or already ended. The gateway's own end record later keeps this reason
 * (its upsert keeps the first one written).
 */
export async function markClientSessionEnded(db: Executor, projectId: string, id: string, reason: string): Promise<ClientSessionView | undefined> {
  const [r] = await db.execute<Row>(sql`update client_sessions s set ended_at = now(), end_reason = ${reason}
    where s.project_id = ${projectId} and s.id::text = ${id} and s.ended_at is null
    returning s.*, null as key_name`);
  return r ? toView(r) : undefined;
}

/**
 * Turns a parsed explorer query (@switchyard/shared `parseLogQuery`) into a SQL condition over
 * `tool_call_logs` or the rollup tiers (`rollup-tiers.ts`), plus the tenant and time bounds
 * every explorer read shares. The tenant is a team (optionally narrowed to one of its projects); its project ids are
 * read once per statement as an init-plan array, so `project_id = ANY(…)` stays an index condition.
 */
import { sql, type SQL } from "drizzle-orm";
import type { LogQueryNode } from "@switchyard/shared";

/** Whose logs: a team's, or one project of it (a project of another team matches nothing). */
export interface LogTenant {
  teamId: string;
  projectId?: string;
}

/** Half-open time range `[from, to)`. */
export interface LogRange {
  from: Date;
  to: Date;
}

export type LogTable = "logs" | "rollups";

/** Statuses counted as failures (a client's own cancellation is not one). */
export const FAILED_STATUSES = ["error", "timeout", "rejected"] as const;

/** A timestamp parameter (the drizzle postgres.js client passes dates to SQL as text). */
export function iso(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}

export function tenantProjects(tenant: LogTenant): SQL {
  const narrow = tenant.projectId ? sql` and p.id = ${tenant.projectId}` : sql``;
  return sql`array(select p.id from projects p where p.team_id = ${tenant.teamId}${narrow})`;
}

const COLUMNS: Record<LogTable, Record<string, string>> = {
  logs: { status: "status", tool: "tool_name", server: "server_name", client: "client_type", method: "method", session: "session_id", key: "api_key_id", duration: "duration_ms" },
  rollups: { status: "status", tool: "tool_name", server: "server_name", client: "client_type", method: "method" },
};

/** The expression the GIN index `tool_call_logs_search_idx` is built on (migration 0007_log_search). */
export const SEARCH_VECTOR = sql.raw("switchyard_log_search_vector(l.tool_name, l.error_message, l.input, l.output)");

function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function column(table: LogTable, field: string): SQL {
  const name = COLUMNS[table][field];
  if (!name) throw new Error(`${field} is not a column of the ${table} table`);
  return sql.raw(`l.${name}`);
}

/** The condition for `node`; `table` must be able to answer it (see `isTierQuery`). */
export function compileFilter(node: LogQueryNode, table: LogTable, projects: SQL): SQL {
  switch (node.kind) {
    case "and":
      return sql`(${sql.join(node.children.map((c) => compileFilter(c, table, projects)), sql` and `)})`;
    case "or":
      return sql`(${sql.join(node.children.map((c) => compileFilter(c, table, projects)), sql` or `)})`;
    case "not":
      return sql`not ${compileFilter(node.child, table, projects)}`;
    case "text":
      return sql`${SEARCH_VECTOR} @@ plainto_tsquery('simple', ${node.value})`;
    case "range": {
      const col = column(table, node.field);
      const parts: SQL[] = [];
      if (node.min !== null) parts.push(node.minInclusive ? sql`${col} >= ${node.min}` : sql`${col} > ${node.min}`);
      if (node.max !== null) parts.push(node.maxInclusive ? sql`${col} <= ${node.max}` : sql`${col} < ${node.max}`);
      return sql`(${sql.join(parts, sql` and `)})`;
    }
    case "match": {
      if (node.field === "key") {
        const name = node.prefix ? sql`k.name like ${likePrefix(node.value)}` : sql`k.name = ${node.value}`;
        return sql`(l.api_key_id is not null and l.api_key_id in (select k.id from api_keys k where k.project_id = any(${projects}) and ${name}))`;
      }
      const col = column(table, node.field);
      if (node.prefix) return sql`${col}::text like ${likePrefix(node.value)}`;
      // Typed comparisons keep the (project, status|tool|server, time) and session indexes usable;
      // the parser has already checked enum values and session ids.
      const cast = CASTS[node.field];
      const value = cast ? sql`${node.value}::${sql.raw(cast)}` : sql`${node.value}`;
      // A nullable column compared under NOT must not turn into NULL (which would drop the row).
      return node.field === "session" ? sql`(${col} is not null and ${col} = ${value})` : sql`${col} = ${value}`;
    }
  }
}

const CASTS: Partial<Record<string, string>> = { status: "tool_call_status", client: "client_type", session: "uuid" };

/** Tenant, time range and query for the logs table (`l`). */
export function logsWhere(tenant: LogTenant, range: LogRange, query: LogQueryNode | null): SQL {
  const projects = tenantProjects(tenant);
  const filter = query ? sql` and ${compileFilter(query, "logs", projects)}` : sql``;
  return sql`l.project_id = any(${projects}) and l.started_at >= ${iso(range.from)} and l.started_at < ${iso(range.to)}${filter}`;
}

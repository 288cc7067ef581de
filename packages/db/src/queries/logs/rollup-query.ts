/**
 * Which explorer queries the rollups answer exactly (docs/EXPLORER.md, "Where answers come
 * from"): conditions on the facets they keep (status, tool, server, client, method) and duration
 * bounds on the edges of their duration histogram. With such bounds every call of one histogram
 * bucket matches the duration condition or none does, so a rollup row's matching calls are the
 * sum of its matching buckets: the query is reduced, bucket by bucket, to a condition on the
 * facets alone (`rollupResiduals`).
 */
import { DURATION_BUCKETS_MS, type LogQueryNode } from "@switchyard/shared";

const ROLLUP_FIELDS = new Set<string>(["status", "tool", "server", "client", "method"]);

/**
 * Methods whose `tool_name` the coarse tiers keep (tool and prompt names come from the servers'
 * catalogs); the tiers fold every other method's `tool_name` (resource and template URIs) to ''.
 * Must list the same methods as the SQL function `switchyard_rollup_tool_key` (migration
 * 0015_rollup_tool_key), the one folding rule every writer of the tiers applies.
 */
export const ROLLUP_NAMED_METHODS = ["tools/call", "prompts/get"] as const;

/** The integer durations bucket `i` of `duration_buckets` counts: `lo < d <= hi`. */
export const DURATION_BUCKET_SPANS: readonly { lo: number; hi: number }[] = Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, i) => ({
  lo: i === 0 ? Number.NEGATIVE_INFINITY : (DURATION_BUCKETS_MS[i - 1] ?? 0),
  hi: DURATION_BUCKETS_MS[i] ?? Number.POSITIVE_INFINITY,
}));

/** A query reduced for one duration bucket: a facet-only condition, or a constant. */
export type Residual = LogQueryNode | boolean;

/** Whether all (true), none (false) or only some (null) of the integers in (lo, hi] satisfy one bound. */
function boundTruth(min: number, max: number, bound: number, op: ">" | ">=" | "<" | "<="): boolean | null {
  const holds = (d: number) => (op === ">" ? d > bound : op === ">=" ? d >= bound : op === "<" ? d < bound : d <= bound);
  const a = holds(min);
  const b = holds(max);
  return a === b ? a : null;
}

function rangeTruth(node: Extract<LogQueryNode, { kind: "range" }>, span: { lo: number; hi: number }): boolean | null {
  // Durations are whole milliseconds: the smallest in the bucket is lo + 1.
  const min = span.lo + 1;
  const max = span.hi;
  const parts: (boolean | null)[] = [];
  if (node.min !== null) parts.push(boundTruth(min, max, node.min, node.minInclusive ? ">=" : ">"));
  if (node.max !== null) parts.push(boundTruth(min, max, node.max, node.maxInclusive ? "<=" : "<"));
  if (parts.includes(false)) return false;
  return parts.every((p) => p === true) ? true : null;
}

/** `query` for the calls of one duration bucket, or null when some of them match and some do not. */
function residual(node: LogQueryNode, span: { lo: number; hi: number }): Residual | null {
  switch (node.kind) {
    case "text":
      return null;
    case "match":
      return ROLLUP_FIELDS.has(node.field) ? node : null;
    case "range":
      return node.field === "duration" ? rangeTruth(node, span) : null;
    case "not": {
      const r = residual(node.child, span);
      if (r === null) return null;
      return typeof r === "boolean" ? !r : { kind: "not", child: r };
    }
    case "and":
    case "or": {
      const absorbing = node.kind === "or";
      const kept: LogQueryNode[] = [];
      for (const child of node.children) {
        const r = residual(child, span);
        if (r === null) return null;
        if (r === absorbing) return absorbing;
        if (typeof r !== "boolean") kept.push(r);
      }
      if (kept.length === 0) return !absorbing;
      return kept.length === 1 ? (kept[0] as LogQueryNode) : { kind: node.kind, children: kept };
    }
  }
}

/**
 * The query reduced for each bucket of the rollups' duration histogram, or null when the rollups
 * cannot answer it exactly (free text, session, key, or a duration bound inside a bucket).
 */
export function rollupResiduals(query: LogQueryNode | null): Residual[] | null {
  const out: Residual[] = [];
  for (const span of DURATION_BUCKET_SPANS) {
    const r = query ? residual(query, span) : true;
    if (r === null) return null;
    out.push(r);
  }
  return out;
}

/** True when the rollup tiers answer `query` exactly (see `rollupResiduals`). */
export function isTierQuery(query: LogQueryNode | null): boolean {
  return rollupResiduals(query) !== null;
}

/** True when the query has a `tool:` condition (which the coarse tiers answer only for `ROLLUP_NAMED_METHODS`). */
export function mentionsTool(query: LogQueryNode | null): boolean {
  if (!query) return false;
  switch (query.kind) {
    case "and":
    case "or":
      return query.children.some(mentionsTool);
    case "not":
      return mentionsTool(query.child);
    case "match":
      return query.field === "tool";
    default:
      return false;
  }
}

-- The coarse rollup tiers (quarter hour, hour, day) fold the long tail of identifiers
-- (docs/EXPLORER.md, "Rollup tiers"): `tool_name` is kept for tools/call and prompts/get, whose
-- names come from the servers' catalogs, and folded to '' for every other method
-- (resources/read carries the resource URI, completion/complete a prompt name or template URI),
-- so those calls roll up per server × method × status × client type. On the seeded data three
-- quarters of the hourly and nine tenths of the daily rows were such one-off URIs. The minute
-- table keeps every name (it answers the range edges). `tool:` filters are answered for the
-- folded methods from the log table (packages/db/src/queries/logs/rollup-tiers.ts).
-- switchyard_rollup_tool_key is THE folding rule: every writer of the tiers (the log writer's ingest
-- statement, the seeder's rebuild; 0014 moved the tiers out of triggers) keys them through it.
CREATE OR REPLACE FUNCTION switchyard_rollup_tool_key(method text, tool_name text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN method IN ('tools/call', 'prompts/get') THEN tool_name ELSE '' END
$$;
--> statement-breakpoint
-- Existing quarterly rows of the folded methods, merged into their '' rows in place (the tiers may hold
-- spans the minute table no longer has, so they are not rebuilt from it).
WITH folded AS (
  DELETE FROM tool_call_rollups_quarterly
  WHERE tool_name <> switchyard_rollup_tool_key(method, tool_name)
  RETURNING *
)
INSERT INTO tool_call_rollups_quarterly AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
SELECT project_id, bucket, server_name, method, '', status, client_type,
  sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
FROM folded GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
  count = r.count + excluded.count,
  error_count = r.error_count + excluded.error_count,
  duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
  duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets);
--> statement-breakpoint
-- Existing hourly rows of the folded methods, merged into their '' rows in place (the tiers may hold
-- spans the minute table no longer has, so they are not rebuilt from it).
WITH folded AS (
  DELETE FROM tool_call_rollups_hourly
  WHERE tool_name <> switchyard_rollup_tool_key(method, tool_name)
  RETURNING *
)
INSERT INTO tool_call_rollups_hourly AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
SELECT project_id, bucket, server_name, method, '', status, client_type,
  sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
FROM folded GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
  count = r.count + excluded.count,
  error_count = r.error_count + excluded.error_count,
  duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
  duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets);
--> statement-breakpoint
-- Existing daily rows of the folded methods, merged into their '' rows in place (the tiers may hold
-- spans the minute table no longer has, so they are not rebuilt from it).
WITH folded AS (
  DELETE FROM tool_call_rollups_daily
  WHERE tool_name <> switchyard_rollup_tool_key(method, tool_name)
  RETURNING *
)
INSERT INTO tool_call_rollups_daily AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
SELECT project_id, bucket, server_name, method, '', status, client_type,
  sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
FROM folded GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
  count = r.count + excluded.count,
  error_count = r.error_count + excluded.error_count,
  duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
  duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets);
--> statement-breakpoint
-- The calls whose tool names the tiers fold: a `tool:` filter reads them from the log table (the
-- tiers answer it for tools/call and prompts/get), and without this index `tool:get_issue` over a
-- week would walk every get_issue call of the week to find none of these methods. The predicate
-- must match the literal list the explorer's queries spell (ROLLUP_NAMED_METHODS).
CREATE INDEX IF NOT EXISTS "tool_call_logs_folded_tool_time_idx" ON "tool_call_logs" ("project_id", "tool_name", "started_at")
  WHERE "method" NOT IN ('tools/call', 'prompts/get');
--> statement-breakpoint
-- The fold deleted most tier rows and appended their merged rows at the end of each heap: rewrite
-- the tiers in key order (project, bucket, …), as the writer's time-ordered inserts leave them, so
-- a time range is read from a few adjacent pages and not from a heap three times its size.
CLUSTER tool_call_rollups_quarterly USING tool_call_rollups_quarterly_pkey;
--> statement-breakpoint
CLUSTER tool_call_rollups_hourly USING tool_call_rollups_hourly_pkey;
--> statement-breakpoint
CLUSTER tool_call_rollups_daily USING tool_call_rollups_daily_pkey;
--> statement-breakpoint
ANALYZE tool_call_rollups_quarterly, tool_call_rollups_hourly, tool_call_rollups_daily;

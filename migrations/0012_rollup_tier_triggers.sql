-- Rollup tiers for the log explorer (docs/EXPLORER.md, "Rollup tiers"). The log writer upserts
-- per-minute rows into tool_call_rollups in the same statement as the calls; two statement-level
-- triggers on that table add each statement's change (the rows it inserted, and new minus old of
-- the rows it updated) to tool_call_rollups_hourly and tool_call_rollups_daily in the same
-- transaction. So the coarse tiers always equal the sum of the minute rows they cover, whoever
-- writes the minutes (gateway, seeder), with nothing to schedule and nothing to catch up.
-- Deletes (retention) are not propagated: the purge deletes each tier by its own age.

-- Element-wise sum of the duration histograms (arrays of equal length; a missing element is 0).
CREATE OR REPLACE FUNCTION switchyard_add_int_arrays(a integer[], b integer[])
RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array(SELECT coalesce(x, 0) + coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i) ORDER BY i)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION switchyard_sub_int_arrays(a integer[], b integer[])
RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array(SELECT coalesce(x, 0) - coalesce(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i) ORDER BY i)
$$;
--> statement-breakpoint
CREATE OR REPLACE AGGREGATE switchyard_sum_int_arrays(integer[]) (
  SFUNC = switchyard_add_int_arrays,
  STYPE = integer[],
  PARALLEL = SAFE
);
--> statement-breakpoint
-- Adds a statement's change of minute rows to both coarse tiers: the inserted rows, or for updated
-- rows (the log writer's additive upsert) new minus old. Rows are grouped and ordered by key, so
-- concurrent writers lock the coarse rows in the same order.
CREATE OR REPLACE FUNCTION switchyard_roll_up_minutes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH hourly AS (
      INSERT INTO tool_call_rollups_hourly AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
      SELECT project_id, date_trunc('hour', bucket, 'UTC'), server_name, method, tool_name, status, client_type,
        sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
      FROM new_minutes GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
        count = r.count + excluded.count,
        error_count = r.error_count + excluded.error_count,
        duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
        duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets)
      RETURNING 1
    )
    INSERT INTO tool_call_rollups_daily AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
    SELECT project_id, date_trunc('day', bucket, 'UTC'), server_name, method, tool_name, status, client_type,
      sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
    FROM new_minutes GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
      count = r.count + excluded.count,
      error_count = r.error_count + excluded.error_count,
      duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
      duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets);
  ELSE
    WITH d AS MATERIALIZED (
      SELECT project_id, bucket, server_name, method, tool_name, status, client_type,
        n.count - o.count AS count, n.error_count - o.error_count AS error_count,
        n.duration_sum_ms - o.duration_sum_ms AS duration_sum_ms,
        switchyard_sub_int_arrays(n.duration_buckets, o.duration_buckets) AS duration_buckets
      FROM new_minutes n JOIN old_minutes o USING (project_id, bucket, server_name, method, tool_name, status, client_type)
    ), hourly AS (
      INSERT INTO tool_call_rollups_hourly AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
      SELECT project_id, date_trunc('hour', bucket, 'UTC'), server_name, method, tool_name, status, client_type,
        sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
      FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
        count = r.count + excluded.count,
        error_count = r.error_count + excluded.error_count,
        duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
        duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets)
      RETURNING 1
    )
    INSERT INTO tool_call_rollups_daily AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
    SELECT project_id, date_trunc('day', bucket, 'UTC'), server_name, method, tool_name, status, client_type,
      sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
    FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
      count = r.count + excluded.count,
      error_count = r.error_count + excluded.error_count,
      duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
      duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER tool_call_rollups_tiers_insert AFTER INSERT ON tool_call_rollups
  REFERENCING NEW TABLE AS new_minutes FOR EACH STATEMENT EXECUTE FUNCTION switchyard_roll_up_minutes();
--> statement-breakpoint
CREATE TRIGGER tool_call_rollups_tiers_update AFTER UPDATE ON tool_call_rollups
  REFERENCING OLD TABLE AS old_minutes NEW TABLE AS new_minutes FOR EACH STATEMENT EXECUTE FUNCTION switchyard_roll_up_minutes();
--> statement-breakpoint
-- The minute rows written before this migration.
INSERT INTO tool_call_rollups_hourly AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
SELECT project_id, date_trunc('hour', bucket, 'UTC'), server_name, method, tool_name, status, client_type,
  sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
FROM tool_call_rollups GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
  count = r.count + excluded.count,
  error_count = r.error_count + excluded.error_count,
  duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
  duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets);
--> statement-breakpoint
INSERT INTO tool_call_rollups_daily AS r (project_id, bucket, server_name, method, tool_name, status, client_type, count, error_count, duration_sum_ms, duration_buckets)
SELECT project_id, date_trunc('day', bucket, 'UTC'), server_name, method, tool_name, status, client_type,
  sum(count)::int, sum(error_count)::int, sum(duration_sum_ms)::bigint, switchyard_sum_int_arrays(duration_buckets)
FROM tool_call_rollups GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (project_id, bucket, server_name, method, tool_name, status, client_type) DO UPDATE SET
  count = r.count + excluded.count,
  error_count = r.error_count + excluded.error_count,
  duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
  duration_buckets = switchyard_add_int_arrays(r.duration_buckets, excluded.duration_buckets);

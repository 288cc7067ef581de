-- tool_call_logs is range-partitioned by day (UTC). A default partition catches any row whose
-- day has no partition yet, so an insert never fails; switchyard_ensure_log_partition moves such
-- rows into the day's partition when it is created.
CREATE TABLE IF NOT EXISTS "tool_call_logs_default" PARTITION OF "tool_call_logs" DEFAULT;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION switchyard_log_partition_name(day date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'tool_call_logs_p' || to_char(day, 'YYYYMMDD') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION switchyard_ensure_log_partition(day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  part text := switchyard_log_partition_name(day);
  lo timestamptz := (day::text || ' 00:00:00+00')::timestamptz;
  hi timestamptz := ((day + 1)::text || ' 00:00:00+00')::timestamptz;
BEGIN
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  -- Serialise with other instances creating the same partition.
  PERFORM pg_advisory_xact_lock(hashtext(part));
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE tool_call_logs INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
  EXECUTE format(
    'WITH moved AS (DELETE FROM tool_call_logs_default WHERE started_at >= %L AND started_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
    lo, hi, part);
  EXECUTE format('ALTER TABLE tool_call_logs ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  RETURN true;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION switchyard_ensure_log_partitions(first_day date, days integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  created integer := 0;
  i integer;
BEGIN
  FOR i IN 0 .. days - 1 LOOP
    IF switchyard_ensure_log_partition(first_day + i) THEN
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END $$;
--> statement-breakpoint
-- Drops whole daily partitions that end before `before_day` (instance-wide retention).
CREATE OR REPLACE FUNCTION switchyard_drop_log_partitions_before(before_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  dropped integer := 0;
BEGIN
  FOR r IN
    SELECT c.relname
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'tool_call_logs' AND c.relname ~ '^tool_call_logs_p[0-9]{8}$'
  LOOP
    IF to_date(substr(r.relname, 17), 'YYYYMMDD') < before_day THEN
      EXECUTE format('DROP TABLE %I', r.relname);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  RETURN dropped;
END $$;

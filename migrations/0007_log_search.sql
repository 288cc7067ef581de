-- Free-text search for the log explorer (docs/EXPLORER.md). One immutable function builds the
-- searchable words of a call — tool name, error message and the string and number values of its
-- input and output — so the GIN index below and the explorer's queries use the same expression
-- (the planner matches an index on an expression only when the query repeats it exactly).
-- The 'simple' configuration keeps every word as written (no stemming, no stop words): tool
-- arguments are identifiers and paths more often than English.
CREATE OR REPLACE FUNCTION switchyard_log_search_vector(tool_name text, error_message text, input jsonb, output jsonb)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('simple'::regconfig, coalesce(tool_name, '') || ' ' || coalesce(error_message, ''))
      || jsonb_to_tsvector('simple'::regconfig, coalesce(input, 'null'::jsonb), '["string", "numeric"]')
      || jsonb_to_tsvector('simple'::regconfig, coalesce(output, 'null'::jsonb), '["string", "numeric"]')
$$;
--> statement-breakpoint
-- Created on the partitioned parent: Postgres builds it on every partition, and partitions
-- attached later (switchyard_ensure_log_partition) get it on ATTACH.
CREATE INDEX IF NOT EXISTS "tool_call_logs_search_idx" ON "tool_call_logs"
  USING gin (switchyard_log_search_vector("tool_name", "error_message", "input", "output"));

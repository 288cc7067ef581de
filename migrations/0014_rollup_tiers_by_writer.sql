-- The quarter-hour, hourly and daily rollup tiers are now written by whoever writes the minute rows,
-- in the same statement (the log writer's ingest statement, the seeder's rebuild), from the change
-- it already holds. The statement triggers of 0012_rollup_tier_triggers / 0013_rollup_quarter_tier
-- rebuilt that change from the statement's old and new minute rows and cost 22–30 µs of Postgres
-- CPU per logged call, the largest part of ingestion after the text index (docs/BENCHMARKS.md,
-- "Log ingestion"). The tiers' contents keep their meaning: each equals the minute rows summed to
-- its grain. switchyard_sum_int_arrays and its helpers stay (tests and checks sum histograms with them).
DROP TRIGGER IF EXISTS tool_call_rollups_tiers_insert ON tool_call_rollups;
--> statement-breakpoint
DROP TRIGGER IF EXISTS tool_call_rollups_tiers_update ON tool_call_rollups;
--> statement-breakpoint
DROP FUNCTION IF EXISTS switchyard_roll_up_minutes();

ALTER TABLE "tool_call_logs" ADD COLUMN "relay_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tool_call_logs" ADD COLUMN "relay_ms" integer DEFAULT 0 NOT NULL;
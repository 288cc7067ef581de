ALTER TABLE "tool_call_logs" ADD COLUMN "method" text DEFAULT 'tools/call' NOT NULL;--> statement-breakpoint
ALTER TABLE "tool_call_rollups" ADD COLUMN "method" text DEFAULT 'tools/call' NOT NULL;--> statement-breakpoint
ALTER TABLE "tool_call_rollups" DROP CONSTRAINT "tool_call_rollups_pkey";
--> statement-breakpoint
ALTER TABLE "tool_call_rollups" ADD CONSTRAINT "tool_call_rollups_pkey" PRIMARY KEY("project_id","bucket","server_name","method","tool_name","status","client_type");
CREATE TABLE "tool_call_rollups_daily" (
	"project_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"server_name" text NOT NULL,
	"method" text DEFAULT 'tools/call' NOT NULL,
	"tool_name" text NOT NULL,
	"status" "tool_call_status" NOT NULL,
	"client_type" "client_type" NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"duration_sum_ms" bigint DEFAULT 0 NOT NULL,
	"duration_buckets" integer[] NOT NULL,
	CONSTRAINT "tool_call_rollups_daily_pkey" PRIMARY KEY("project_id","bucket","server_name","method","tool_name","status","client_type")
);
--> statement-breakpoint
CREATE TABLE "tool_call_rollups_hourly" (
	"project_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"server_name" text NOT NULL,
	"method" text DEFAULT 'tools/call' NOT NULL,
	"tool_name" text NOT NULL,
	"status" "tool_call_status" NOT NULL,
	"client_type" "client_type" NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"duration_sum_ms" bigint DEFAULT 0 NOT NULL,
	"duration_buckets" integer[] NOT NULL,
	CONSTRAINT "tool_call_rollups_hourly_pkey" PRIMARY KEY("project_id","bucket","server_name","method","tool_name","status","client_type")
);
--> statement-breakpoint
CREATE TABLE "tool_call_rollups_quarterly" (
	"project_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"server_name" text NOT NULL,
	"method" text DEFAULT 'tools/call' NOT NULL,
	"tool_name" text NOT NULL,
	"status" "tool_call_status" NOT NULL,
	"client_type" "client_type" NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"duration_sum_ms" bigint DEFAULT 0 NOT NULL,
	"duration_buckets" integer[] NOT NULL,
	CONSTRAINT "tool_call_rollups_quarterly_pkey" PRIMARY KEY("project_id","bucket","server_name","method","tool_name","status","client_type")
);

CREATE TYPE "public"."client_transport" AS ENUM('sse', 'streamable_http');--> statement-breakpoint
CREATE TYPE "public"."client_type" AS ENUM('cursor', 'cline', 'vscode', 'claude_code', 'windsurf', 'inspector', 'other');--> statement-breakpoint
CREATE TYPE "public"."event_level" AS ENUM('debug', 'info', 'warn', 'error');--> statement-breakpoint
CREATE TYPE "public"."log_payload_policy" AS ENUM('full', 'metadata_only');--> statement-breakpoint
CREATE TYPE "public"."new_tool_policy" AS ENUM('enabled', 'held');--> statement-breakpoint
CREATE TYPE "public"."server_event_category" AS ENUM('startup', 'exit', 'crash', 'restart', 'stderr', 'status_check', 'tool_changed', 'config');--> statement-breakpoint
CREATE TYPE "public"."server_isolation" AS ENUM('shared', 'per_session');--> statement-breakpoint
CREATE TYPE "public"."server_status" AS ENUM('unknown', 'online', 'degraded', 'offline', 'error');--> statement-breakpoint
CREATE TYPE "public"."server_transport" AS ENUM('stdio', 'sse', 'streamable_http');--> statement-breakpoint
CREATE TYPE "public"."team_role" AS ENUM('owner', 'admin', 'developer', 'reporter');--> statement-breakpoint
CREATE TYPE "public"."tool_call_status" AS ENUM('success', 'error', 'timeout', 'cancelled', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."worker_run_status" AS ENUM('running', 'success', 'failed');--> statement-breakpoint
CREATE TYPE "public"."worker_trigger" AS ENUM('schedule', 'manual', 'change');--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"session_version" integer DEFAULT 1 NOT NULL,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "team_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" "team_role" NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"log_payload_policy" "log_payload_policy" DEFAULT 'full' NOT NULL,
	"redaction_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"retention_days" integer DEFAULT 30 NOT NULL,
	"tool_separator" text DEFAULT '__' NOT NULL,
	"new_tool_policy" "new_tool_policy" DEFAULT 'enabled' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"created_by" uuid,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"last_used_ip" text,
	"rate_limit_per_minute" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mcp_servers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"transport" "server_transport" NOT NULL,
	"command" text,
	"args_enc" text,
	"cwd" text,
	"url_enc" text,
	"env_enc" text,
	"headers_enc" text,
	"timeout_ms" integer DEFAULT 60000 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"isolation" "server_isolation" DEFAULT 'shared' NOT NULL,
	"status" "server_status" DEFAULT 'unknown' NOT NULL,
	"status_checked_at" timestamp with time zone,
	"status_error" text,
	"status_latency_ms" integer,
	"tools_count" integer,
	"server_info" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_tools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"server_id" uuid NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"description" text,
	"input_schema" jsonb NOT NULL,
	"output_schema" jsonb,
	"annotations" jsonb,
	"enabled" boolean DEFAULT true NOT NULL,
	"pending_approval" boolean DEFAULT false NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"gone_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"server_id" uuid NOT NULL,
	"level" "event_level" NOT NULL,
	"category" "server_event_category" NOT NULL,
	"message" text NOT NULL,
	"details" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"server_id" uuid,
	"api_key_id" uuid,
	"user_id" uuid,
	"transport" "client_transport" NOT NULL,
	"client_name" text,
	"client_version" text,
	"client_type" "client_type" DEFAULT 'other' NOT NULL,
	"protocol_version" text,
	"user_agent" text,
	"ip" text,
	"gateway_instance" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"calls_total" integer DEFAULT 0 NOT NULL,
	"calls_failed" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_call_logs" (
	"id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"server_id" uuid,
	"server_name" text DEFAULT '' NOT NULL,
	"session_id" uuid,
	"api_key_id" uuid,
	"user_id" uuid,
	"tool_name" text NOT NULL,
	"exposed_name" text NOT NULL,
	"status" "tool_call_status" NOT NULL,
	"error_code" integer,
	"error_message" text,
	"input" jsonb,
	"output" jsonb,
	"input_truncated" boolean DEFAULT false NOT NULL,
	"output_truncated" boolean DEFAULT false NOT NULL,
	"input_size" integer,
	"output_size" integer,
	"duration_ms" integer NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone NOT NULL,
	"request_id" text,
	"client_type" "client_type" DEFAULT 'other' NOT NULL,
	CONSTRAINT "tool_call_logs_pkey" PRIMARY KEY("started_at","id")
) PARTITION BY RANGE ("started_at");
--> statement-breakpoint
CREATE TABLE "tool_call_rollups" (
	"project_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"server_name" text NOT NULL,
	"tool_name" text NOT NULL,
	"status" "tool_call_status" NOT NULL,
	"client_type" "client_type" NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"duration_sum_ms" bigint DEFAULT 0 NOT NULL,
	"duration_buckets" integer[] NOT NULL,
	CONSTRAINT "tool_call_rollups_pkey" PRIMARY KEY("project_id","bucket","server_name","tool_name","status","client_type")
);
--> statement-breakpoint
CREATE TABLE "rate_limited_calls" (
	"project_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limited_calls_pkey" PRIMARY KEY("project_id","minute","api_key_id")
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid,
	"project_id" uuid,
	"actor_user_id" uuid,
	"type" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"summary" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_name" text NOT NULL,
	"job_id" text,
	"trigger" "worker_trigger" NOT NULL,
	"status" "worker_run_status" DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"servers_checked" integer DEFAULT 0 NOT NULL,
	"servers_online" integer DEFAULT 0 NOT NULL,
	"servers_offline" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duration_ms" integer,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_settings" (
	"job_name" text PRIMARY KEY NOT NULL,
	"interval_minutes" integer NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD CONSTRAINT "mcp_servers_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "server_tools" ADD CONSTRAINT "server_tools_server_id_mcp_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."mcp_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "server_events" ADD CONSTRAINT "server_events_server_id_mcp_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."mcp_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_settings" ADD CONSTRAINT "worker_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "teams_slug_key" ON "teams" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_team_user_key" ON "team_members" USING btree ("team_id","user_id");--> statement-breakpoint
CREATE INDEX "team_members_user_idx" ON "team_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_invitations_token_hash_key" ON "team_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "team_invitations_team_idx" ON "team_invitations" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "team_invitations_email_idx" ON "team_invitations" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "projects_team_slug_key" ON "projects" USING btree ("team_id","slug");--> statement-breakpoint
CREATE INDEX "projects_team_idx" ON "projects" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_keys_project_idx" ON "api_keys" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "api_keys_created_by_idx" ON "api_keys" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "mcp_servers_project_name_key" ON "mcp_servers" USING btree ("project_id","name");--> statement-breakpoint
CREATE INDEX "mcp_servers_enabled_idx" ON "mcp_servers" USING btree ("enabled");--> statement-breakpoint
CREATE UNIQUE INDEX "server_tools_server_name_key" ON "server_tools" USING btree ("server_id","name");--> statement-breakpoint
CREATE INDEX "server_tools_project_idx" ON "server_tools" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "server_events_server_at_idx" ON "server_events" USING btree ("server_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "server_events_project_at_idx" ON "server_events" USING btree ("project_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "client_sessions_project_started_idx" ON "client_sessions" USING btree ("project_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "client_sessions_project_activity_idx" ON "client_sessions" USING btree ("project_id","last_activity_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "client_sessions_api_key_idx" ON "client_sessions" USING btree ("api_key_id");--> statement-breakpoint
CREATE INDEX "tool_call_logs_project_time_idx" ON "tool_call_logs" USING btree ("project_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tool_call_logs_project_status_time_idx" ON "tool_call_logs" USING btree ("project_id","status","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tool_call_logs_project_tool_time_idx" ON "tool_call_logs" USING btree ("project_id","tool_name","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tool_call_logs_project_server_time_idx" ON "tool_call_logs" USING btree ("project_id","server_name","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tool_call_logs_session_time_idx" ON "tool_call_logs" USING btree ("session_id","started_at");--> statement-breakpoint
CREATE INDEX "activities_team_at_idx" ON "activities" USING btree ("team_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "activities_project_at_idx" ON "activities" USING btree ("project_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "activities_type_at_idx" ON "activities" USING btree ("type","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "worker_runs_job_started_idx" ON "worker_runs" USING btree ("job_name","started_at" DESC NULLS LAST);
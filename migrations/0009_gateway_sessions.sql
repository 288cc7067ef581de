CREATE TABLE "gateway_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"identity" text NOT NULL,
	"state" jsonb NOT NULL,
	"log_level" text,
	"subscriptions" text[] DEFAULT '{}' NOT NULL,
	"stream_owner" text,
	"active_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "gateway_sessions_identity_idx" ON "gateway_sessions" USING btree ("project_id","identity");--> statement-breakpoint
CREATE INDEX "gateway_sessions_active_idx" ON "gateway_sessions" USING btree ("active_at");
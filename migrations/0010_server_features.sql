CREATE TABLE "server_features" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"server_id" uuid NOT NULL,
	"prompts" jsonb NOT NULL,
	"resources" jsonb NOT NULL,
	"resource_templates" jsonb NOT NULL,
	"listed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "server_features_server_id_unique" UNIQUE("server_id")
);
--> statement-breakpoint
ALTER TABLE "server_features" ADD CONSTRAINT "server_features_server_id_mcp_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."mcp_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "server_features_project_idx" ON "server_features" USING btree ("project_id");
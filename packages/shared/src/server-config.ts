/** zod schemas for registering MCP servers, shared by the CLI, the console forms and the services. */
import { z } from "zod";
import { SERVER_ISOLATIONS } from "./enums";
import { serverNameSchema } from "./names";

/** Env keys that change how an interpreter loads code: refused for every stdio server. */
export const FORBIDDEN_ENV_KEYS = [
  "PATH",
  "HOME",
  "NODE_OPTIONS",
  "NODE_PATH",
  "NODE_EXTRA_CA_CERTS",
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "LD_AUDIT",
  "DYLD_INSERT_LIBRARIES",
  "DYLD_LIBRARY_PATH",
  "PYTHONPATH",
  "PYTHONSTARTUP",
  "PYTHONHOME",
  "PYTHONUSERBASE",
  "PERL5LIB",
  "PERL5OPT",
  "RUBYOPT",
  "RUBYLIB",
  "BASH_ENV",
  "ENV",
  "SHELLOPTS",
  "PS4",
  "GCONV_PATH",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "GIT_SSH_COMMAND",
  "NPM_CONFIG_PREFIX",
  "npm_config_prefix",
] as const;

const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const envMapSchema = z
  .record(z.string().regex(ENV_KEY_PATTERN, "env names must match [A-Za-z_][A-Za-z0-9_]*"), z.string().max(32_768))
  .superRefine((env, ctx) => {
    for (const key of Object.keys(env)) {
      if ((FORBIDDEN_ENV_KEYS as readonly string[]).includes(key) || key.toUpperCase().startsWith("LD_")) {
        ctx.addIssue({ code: "custom", message: `env ${key} is not allowed: it changes how programs load code`, path: [key] });
      }
    }
  });

export const headerMapSchema = z
  .record(z.string().regex(HEADER_NAME_PATTERN, "invalid HTTP header name"), z.string().max(8_192).regex(/^[^\r\n]*$/, "header values cannot contain line breaks"))
  .superRefine((headers, ctx) => {
    for (const key of Object.keys(headers)) {
      const lower = key.toLowerCase();
      if (["host", "content-length", "transfer-encoding", "connection", "mcp-session-id"].includes(lower)) {
        ctx.addIssue({ code: "custom", message: `header ${key} is managed by the gateway`, path: [key] });
      }
    }
  });

export const remoteUrlSchema = z
  .string()
  .url("url must be an absolute http(s) URL")
  .refine((u) => /^https?:\/\//i.test(u), "url must use http or https");

const common = {
  name: serverNameSchema,
  timeoutMs: z.number().int().min(1_000).max(600_000).default(60_000),
  enabled: z.boolean().default(true),
  isolation: z.enum(SERVER_ISOLATIONS).default("shared"),
};

export const stdioServerConfigSchema = z.object({
  ...common,
  transport: z.literal("stdio"),
  command: z.string().trim().min(1, "command is required").max(1_024),
  args: z.array(z.string().max(8_192)).max(256).default([]),
  env: envMapSchema.default({}),
  cwd: z
    .string()
    .max(1_024)
    .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), "cwd must be a relative path inside the server's scratch directory")
    .optional(),
});

export const remoteServerConfigSchema = z.object({
  ...common,
  transport: z.enum(["sse", "streamable_http"]),
  url: remoteUrlSchema,
  headers: headerMapSchema.default({}),
});

export const serverConfigSchema = z.discriminatedUnion("transport", [stdioServerConfigSchema, remoteServerConfigSchema]);
export type ServerConfigInput = z.input<typeof serverConfigSchema>;
export type ServerConfig = z.output<typeof serverConfigSchema>;
export type StdioServerConfig = z.output<typeof stdioServerConfigSchema>;
export type RemoteServerConfig = z.output<typeof remoteServerConfigSchema>;

export interface ServerInfo {
  name: string;
  version: string;
  protocolVersion?: string;
  capabilities: Record<string, unknown>;
  instructions?: string;
}

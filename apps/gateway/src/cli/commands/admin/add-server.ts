import { readFile } from "node:fs/promises";
import { parseEnv } from "node:util";
import type { Command } from "commander";
import { CLI_ACTOR } from "@switchyard/core/context";
import { createServer, getProjectByIdOrThrow } from "@switchyard/core/services";
import { isPackageRunner } from "@switchyard/core/upstream";
import type { ServerConfigInput } from "@switchyard/shared";
import { collect, loadCliConfig, parsePairs, withServiceDeps } from "../../context";
import { action, printResult } from "../../output";

interface AddServerOptions {
  project: string;
  name: string;
  command?: string;
  arg: string[];
  url?: string;
  transport?: string;
  env: string[];
  header: string[];
  envFile?: string;
  cwd?: string;
  timeoutMs?: number;
  isolation?: "shared" | "per_session";
  disabled?: boolean;
  json?: boolean;
}

function remoteTransport(value: string | undefined): "sse" | "streamable_http" {
  if (value === undefined || value === "http" || value === "streamable_http" || value === "streamable-http") return "streamable_http";
  if (value === "sse") return "sse";
  throw new Error(`--transport must be sse or streamable_http (http), got "${value}"`);
}

async function buildConfig(opts: AddServerOptions): Promise<ServerConfigInput> {
  if (opts.command && opts.url) throw new Error("give either --command (stdio) or --url (remote), not both");
  if (!opts.command && !opts.url) throw new Error("give --command (stdio server) or --url (SSE / Streamable HTTP server)");
  const common = {
    name: opts.name,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.isolation ? { isolation: opts.isolation } : {}),
    enabled: !opts.disabled,
  };
  if (opts.command) {
    if (opts.header.length) throw new Error("--header applies to remote servers; use --env for stdio servers");
    if (opts.transport && opts.transport !== "stdio") throw new Error("--command implies the stdio transport");
    const fromFile = opts.envFile ? parseEnv(await readFile(opts.envFile, "utf8")) : {};
    return {
      ...common,
      transport: "stdio",
      command: opts.command,
      args: opts.arg,
      env: { ...fromFile, ...parsePairs(opts.env, "env") } as Record<string, string>,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    };
  }
  if (opts.env.length || opts.envFile) throw new Error("--env/--env-file apply to stdio servers; use --header for remote servers");
  return { ...common, transport: remoteTransport(opts.transport), url: opts.url ?? "", headers: parsePairs(opts.header, "header") };
}

/** `npx -y …` and friends download on their first start: say why the status shows "installing". */
function installNote(input: ServerConfigInput): string {
  if (input.transport !== "stdio" || !isPackageRunner(input.command, input.args ?? [])) return "";
  return "\nits first start downloads the package: the status shows “installing” until it is online (up to STDIO_INSTALL_TIMEOUT_SECONDS)";
}

export function registerAddServer(command: Command): void {
  command
    .requiredOption("--project <id>", "project id")
    .requiredOption("--name <name>", "server name: [a-z0-9][a-z0-9-]*")
    .option("--command <command>", "stdio: the executable to run")
    .option("--arg <arg>", "stdio: an argument (repeat for more)", collect, [])
    .option("--url <url>", "remote: the server's URL")
    .option("--transport <transport>", "remote: sse or streamable_http (default streamable_http)")
    .option("--env <KEY=VALUE>", "stdio: environment variable (repeatable; stored encrypted)", collect, [])
    .option("--env-file <file>", "stdio: read environment variables from a dotenv file")
    .option("--header <KEY=VALUE>", "remote: HTTP header sent upstream (repeatable; stored encrypted)", collect, [])
    .option("--cwd <dir>", "stdio: working directory inside the server's scratch directory")
    .option("--timeout-ms <ms>", "per-call timeout", (v) => Number(v))
    .option("--isolation <mode>", "shared (one process) or per_session")
    .option("--disabled", "register it disabled")
    .option("--json", "print the created record as JSON")
    .action(
      action(async (opts: AddServerOptions) => {
        const input = await buildConfig(opts);
        const config = await loadCliConfig();
        const server = await withServiceDeps(config, async (deps) => {
          const project = await getProjectByIdOrThrow(deps, opts.project);
          return createServer(deps, CLI_ACTOR, project, input);
        });
        printResult(
          opts,
          { id: server.id, projectId: server.projectId, name: server.name, transport: server.transport, enabled: server.enabled, createdAt: server.createdAt },
          `added server ${server.name} (${server.transport}, id ${server.id})${installNote(input)}`,
        );
      }),
    );
}

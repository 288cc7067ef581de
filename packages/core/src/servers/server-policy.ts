/**
 * Who may register which servers: the stdio mode (`off` | `allowlist` | `on`) with its command
 * allowlist, and whether remote upstreams may point at private addresses.
 */
import { AppError, type ServerConfig } from "@switchyard/shared";
import { isInstanceAdmin, type Actor } from "../actor";
import { isLiteralForbiddenHost } from "../net/address-policy";

export type StdioMode = "off" | "allowlist" | "on";

/** One allowlist entry: a command and argument patterns (`*` matches within one argument; a final `...` allows any further arguments). */
export interface AllowlistEntry {
  command: string;
  args: string[];
}

export interface ServerPolicy {
  stdio: StdioMode;
  stdioAllowlist: AllowlistEntry[];
  allowPrivateUpstreams: boolean;
}

export const ZERO_SETUP_POLICY: ServerPolicy = { stdio: "on", stdioAllowlist: [], allowPrivateUpstreams: true };

/** Parses `STDIO_COMMAND_ALLOWLIST`: entries separated by `;` or new lines, tokens by spaces. */
export function parseAllowlist(raw: string): AllowlistEntry[] {
  return raw
    .split(/[;\n]/)
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e) => {
      const [command, ...args] = e.split(/\s+/);
      return { command: command ?? "", args };
    });
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

export function matchesAllowlist(entries: AllowlistEntry[], command: string, args: string[]): boolean {
  return entries.some((entry) => {
    if (entry.command !== command) return false;
    const open = entry.args.at(-1) === "...";
    const patterns = open ? entry.args.slice(0, -1) : entry.args;
    if (open ? args.length < patterns.length : args.length !== patterns.length) return false;
    return patterns.every((p, i) => globToRegExp(p).test(args[i] ?? ""));
  });
}

/** Throws `forbidden` when the actor may not register this server under the policy. */
export function assertServerAllowed(policy: ServerPolicy, actor: Actor, config: ServerConfig): void {
  if (config.transport === "stdio") {
    if (policy.stdio === "off") throw new AppError("forbidden", "stdio servers are disabled on this instance (STDIO_SERVERS=off)");
    if (policy.stdio === "allowlist") {
      if (!isInstanceAdmin(actor)) throw new AppError("forbidden", "only instance admins may add stdio servers on this instance");
      if (!matchesAllowlist(policy.stdioAllowlist, config.command, config.args)) {
        throw new AppError("forbidden", `command "${config.command}" with these arguments is not in STDIO_COMMAND_ALLOWLIST`);
      }
    }
    return;
  }
  if (!policy.allowPrivateUpstreams && isLiteralForbiddenHost(new URL(config.url).hostname)) {
    throw new AppError("forbidden", "upstream URL points at a private, loopback or link-local address (ALLOW_PRIVATE_UPSTREAMS is off)");
  }
}

/** Converts between validated server configs and `mcp_servers` rows, sealing every secret field. */
import type { McpServer, NewMcpServer } from "@switchyard/db";
import type { ServerConfig } from "@switchyard/shared";
import type { Keyring } from "../secrets";

/** The columns a config sets (everything but cached status). */
export function sealServerConfig(keyring: Keyring, config: ServerConfig): NewMcpServer {
  const base = {
    name: config.name,
    transport: config.transport,
    timeoutMs: config.timeoutMs,
    enabled: config.enabled,
    isolation: config.isolation,
  };
  if (config.transport === "stdio") {
    return {
      ...base,
      command: config.command,
      argsEnc: keyring.encryptJson(config.args),
      envEnc: keyring.encryptJson(config.env),
      cwd: config.cwd ?? null,
      urlEnc: null,
      headersEnc: null,
    };
  }
  return {
    ...base,
    command: null,
    argsEnc: null,
    envEnc: null,
    cwd: null,
    urlEnc: keyring.encrypt(config.url),
    headersEnc: keyring.encryptJson(config.headers),
  };
}

/** The full config with secrets in the clear: for the gateway and worker only, never for display. */
export function openServerConfig(keyring: Keyring, row: McpServer): ServerConfig {
  const base = { name: row.name, timeoutMs: row.timeoutMs, enabled: row.enabled, isolation: row.isolation };
  if (row.transport === "stdio") {
    return {
      ...base,
      transport: "stdio",
      command: row.command ?? "",
      args: row.argsEnc ? keyring.decryptJson<string[]>(row.argsEnc) : [],
      env: row.envEnc ? keyring.decryptJson<Record<string, string>>(row.envEnc) : {},
      ...(row.cwd ? { cwd: row.cwd } : {}),
    };
  }
  return {
    ...base,
    transport: row.transport,
    url: row.urlEnc ? keyring.decrypt(row.urlEnc) : "",
    headers: row.headersEnc ? keyring.decryptJson<Record<string, string>>(row.headersEnc) : {},
  };
}

/** Every secret value of a server (env and header values), for scrubbing from logged payloads. */
export function serverSecretValues(config: ServerConfig): string[] {
  const values = config.transport === "stdio" ? Object.values(config.env) : Object.values(config.headers);
  return values.filter((v) => v.length >= 4);
}

/** What a server looks like to someone who may not see secrets: names kept, values masked. */
export interface MaskedServerConfig {
  transport: ServerConfig["transport"];
  command?: string;
  args?: string[];
  cwd?: string;
  url?: string;
  envKeys?: string[];
  headerKeys?: string[];
}

export function maskServerConfig(config: ServerConfig, canSeeSecrets: boolean): MaskedServerConfig {
  if (config.transport === "stdio") {
    return {
      transport: "stdio",
      command: config.command,
      args: canSeeSecrets ? config.args : config.args.map(() => "••••"),
      ...(config.cwd ? { cwd: config.cwd } : {}),
      envKeys: Object.keys(config.env),
    };
  }
  const u = new URL(config.url);
  return {
    transport: config.transport,
    url: canSeeSecrets ? config.url : `${u.protocol}//${u.host}/••••`,
    headerKeys: Object.keys(config.headers),
  };
}

/**
 * What must not reach text shown to every team member (events, errors): the secret values, the
 * arguments and the URL past its origin — exactly what the settings page masks for them. Short
 * arguments (flags, `stdio`) are left alone: masking them would blank common words.
 */
export function serverShownSecrets(config: ServerConfig): string[] {
  if (config.transport === "stdio") return [...serverSecretValues(config), ...config.args.filter((a) => a.length >= 8)];
  const u = new URL(config.url);
  const rest = `${u.pathname}${u.search}`;
  return [...serverSecretValues(config), config.url, ...(rest.length >= 4 ? [rest] : [])];
}

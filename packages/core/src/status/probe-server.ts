/**
 * The worker's probe: connect and `initialize` through the shared upstream client path
 * (`connectUpstream`, which applies the stdio and remote-address rules), then `tools/list` with
 * its own deadline, then the prompts, resources and templates it offers (their own deadline, not
 * part of its latency). Connect time and call time are bounded separately.
 */
import { ErrorCode, McpError, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { FeatureLists, FeaturePage, McpServer, ServerToolDefinition } from "@switchyard/db";
import { z } from "zod";
import type { Keyring } from "../secrets";
import { scrubText } from "../event-scrub";
import { openServerConfig, serverShownSecrets } from "../servers/server-record";
import { connectUpstream, RELAYED_CLIENT_CAPABILITIES, type ConnectUpstreamOptions, type UpstreamConnection } from "../upstream/connect-upstream";
import type { ProbeHooks, ProbeResult, ProbeTimeouts, ServerProbe } from "./probe-result";

export type ServerProbeOptions = Pick<
  ConnectUpstreamOptions,
  "policy" | "scratchRoot" | "packageCacheDir" | "installTimeoutMs" | "selfUrls" | "childPath" | "network" | "sandbox"
> & {
  keyring: Keyring;
};

/** Pages of `tools/list` followed before the catalogue is called partial (a server looping on cursors). */
const MAX_PAGES = 50;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Postgres text and jsonb refuse U+0000; an upstream may still send it. */
function withoutNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\0", "") as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  }
  return value;
}

export function toolDefinition(tool: Tool): ServerToolDefinition {
  return withoutNul({
    name: tool.name,
    title: tool.title ?? tool.annotations?.title ?? null,
    description: tool.description ?? null,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema ?? null,
    annotations: tool.annotations ? { ...tool.annotations } : null,
  });
}

async function listAllTools(conn: UpstreamConnection, callTimeoutMs: number, started: number): Promise<ProbeResult> {
  const elapsed = () => Math.round(performance.now() - started);
  if (!conn.serverInfo.capabilities.tools) return { ok: true, serverInfo: conn.serverInfo, tools: [], complete: true, latencyMs: elapsed() };
  const signal = AbortSignal.timeout(callTimeoutMs);
  const deadline = performance.now() + callTimeoutMs;
  const tools: ServerToolDefinition[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    try {
      const res = await conn.client.listTools(cursor ? { cursor } : {}, { signal, timeout: Math.max(1, Math.round(deadline - performance.now())) });
      tools.push(...res.tools.map(toolDefinition));
      cursor = res.nextCursor;
    } catch (e) {
      const error = signal.aborted ? `tools/list timed out after ${callTimeoutMs} ms` : `tools/list failed: ${messageOf(e)}`;
      if (page === 0) return { ok: false, stage: "list", error, serverInfo: conn.serverInfo, latencyMs: elapsed() };
      return { ok: true, serverInfo: conn.serverInfo, tools, complete: false, listError: `page ${page + 1}: ${error}`, latencyMs: elapsed() };
    }
    if (!cursor) return { ok: true, serverInfo: conn.serverInfo, tools, complete: true, latencyMs: elapsed() };
  }
  return { ok: true, serverInfo: conn.serverInfo, tools, complete: false, listError: `more than ${MAX_PAGES} pages`, latencyMs: elapsed() };
}

const FEATURE_LISTS = [
  ["prompts", "prompts/list", "prompts"],
  ["resources", "resources/list", "resources"],
  ["resourceTemplates", "resources/templates/list", "resources"],
] as const;

/** Items pass through as the upstream sent them: only the envelope is checked. */
const featurePageSchema = z.looseObject({
  prompts: z.array(z.looseObject({})).optional(),
  resources: z.array(z.looseObject({})).optional(),
  resourceTemplates: z.array(z.looseObject({})).optional(),
  nextCursor: z.string().optional(),
});

async function listPages(conn: UpstreamConnection, method: string, key: keyof FeatureLists, signal: AbortSignal, deadline: number): Promise<FeaturePage[]> {
  const pages: FeaturePage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    try {
      const res = await conn.client.request({ method, params: cursor ? { cursor } : {} }, featurePageSchema, { signal, timeout: Math.max(1, Math.round(deadline - performance.now())) });
      pages.push(withoutNul(res[key] ?? []));
      cursor = res.nextCursor;
    } catch (e) {
      // A server declaring resources without templates answers "method not found": it has none.
      if (page === 0 && e instanceof McpError && e.code === (ErrorCode.MethodNotFound as number)) return [];
      throw e;
    }
    if (!cursor) return pages;
  }
  throw new Error(`${method}: more than ${MAX_PAGES} pages`);
}

/** The prompts, resources and templates the server offers; undefined when a listing failed (keep the last ones). */
async function listFeatures(conn: UpstreamConnection, callTimeoutMs: number): Promise<FeatureLists | undefined> {
  const offered = conn.serverInfo.capabilities;
  const signal = AbortSignal.timeout(callTimeoutMs);
  const deadline = performance.now() + callTimeoutMs;
  try {
    const lists = await Promise.all(FEATURE_LISTS.map(([key, method, capability]) => (offered[capability] ? listPages(conn, method, key, signal, deadline) : Promise.resolve([]))));
    return { prompts: lists[0] ?? [], resources: lists[1] ?? [], resourceTemplates: lists[2] ?? [] };
  } catch {
    return undefined;
  }
}

/** Errors become status errors, events and worker run errors that every team member reads: scrubbed here. */
function scrubbed(result: ProbeResult, secrets: readonly string[]): ProbeResult {
  if (!result.ok) return { ...result, error: scrubText(result.error, secrets) };
  return result.listError ? { ...result, listError: scrubText(result.listError, secrets) } : result;
}

export async function probeServer(server: McpServer, timeouts: ProbeTimeouts, options: ServerProbeOptions, hooks: ProbeHooks = {}): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let conn: UpstreamConnection;
  let secrets: string[] = [];
  try {
    const config = openServerConfig(options.keyring, server);
    secrets = serverShownSecrets(config);
    const { keyring: _keyring, ...connectOptions } = options;
    conn = await connectUpstream(
      { serverId: server.id, config },
      { capabilities: RELAYED_CLIENT_CAPABILITIES, ...connectOptions, connectTimeoutMs: timeouts.connectTimeoutMs, ...(hooks.onInstalling ? { onInstalling: hooks.onInstalling } : {}) },
    );
  } catch (e) {
    return scrubbed({ ok: false, stage: "connect", error: messageOf(e), latencyMs: elapsed() }, secrets);
  }
  try {
    const result = await listAllTools(conn, timeouts.callTimeoutMs, started);
    if (!result.ok) return scrubbed(result, secrets);
    const features = await listFeatures(conn, timeouts.callTimeoutMs);
    return scrubbed(features ? { ...result, features } : result, secrets);
  } finally {
    // Ending the child or session is not part of the server's latency, but it is awaited so
    // that no more than `concurrency` upstreams are ever open at once.
    await conn.close();
  }
}

export function createServerProbe(options: ServerProbeOptions): ServerProbe {
  return (server, timeouts, hooks) => probeServer(server, timeouts, options, hooks);
}

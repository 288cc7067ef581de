/**
 * Try-it: the console's server calls a tool through the gateway's per-server endpoint, as the
 * signed-in user, with a short-lived signed console token instead of an API key. The gateway
 * applies every rule it applies to IDE clients and logs the call under the user.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { signConsoleToken } from "@switchyard/core/console-token";
import { AppError } from "@switchyard/shared";

export interface TryItRequest {
  gatewayUrl: string;
  authSecret: string;
  userId: string;
  /** The user's current session version: the gateway refuses the token once it changes. */
  sessionVersion: number;
  projectId: string;
  serverName: string;
  tool: string;
  args: Record<string, unknown>;
  timeoutMs: number;
}

export interface TryItResult {
  result: CallToolResult;
  durationMs: number;
}

function explain(e: unknown, gatewayUrl: string): AppError {
  const message = e instanceof Error ? e.message : String(e);
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/i.test(message)) {
    return new AppError("unavailable", `The gateway at ${gatewayUrl} did not answer. Is it running?`);
  }
  if (/timed out|timeout/i.test(message)) return new AppError("unavailable", "The call timed out before the server answered.");
  if (/\b401\b|invalid_token/i.test(message)) return new AppError("unavailable", "The gateway refused the console's token (is AUTH_SECRET the same for the console and the gateway?).");
  return new AppError("unavailable", `The call failed: ${message}`);
}

export async function callToolThroughGateway(req: TryItRequest): Promise<TryItResult> {
  const token = signConsoleToken(req.authSecret, { userId: req.userId, projectId: req.projectId, sessionVersion: req.sessionVersion });
  const url = new URL(`${req.gatewayUrl}/projects/${req.projectId}/servers/${encodeURIComponent(req.serverName)}/mcp`);
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client({ name: "switchyard-console", version: "1.0.0" });
  try {
    await client.connect(transport, { timeout: Math.min(req.timeoutMs, 30_000) });
    const started = performance.now();
    const result = await client.request({ method: "tools/call", params: { name: req.tool, arguments: req.args } }, CallToolResultSchema, { timeout: req.timeoutMs });
    return { result, durationMs: Math.round(performance.now() - started) };
  } catch (e) {
    throw explain(e, req.gatewayUrl);
  } finally {
    // SDK clients do not send DELETE on close: end the gateway session explicitly.
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

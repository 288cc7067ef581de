import { Hono, type Context } from "hono";
import { JSONRPC } from "../../mcp/jsonrpc-errors";
import { jsonRpcErrorResponse, replyResponse } from "../../mcp/transport/jsonrpc";
import type { StreamableEndpoint } from "../../mcp/transport/streamable-endpoint";
import type { Authenticator } from "../../auth/authenticator";
import { chargePost, readJsonRpcBody, requestMeta, sendReply, type BodyLimits, type McpEnv } from "../mcp-http";

export interface StreamableRouteOptions {
  limits: BodyLimits;
  auth: Pick<Authenticator, "charge">;
}

const serverName = (c: Context<McpEnv>): string | null => c.req.param("serverName") ?? null;

/** Streamable HTTP on the project endpoint and on each server's endpoint. */
export function streamableRoutes(endpoint: StreamableEndpoint, opts: StreamableRouteOptions): Hono<McpEnv> {
  const app = new Hono<McpEnv>();
  for (const path of ["/projects/:projectId/mcp", "/projects/:projectId/servers/:serverName/mcp"]) {
    // POST …/mcp — JSON-RPC messages (initialize opens a session)
    app.post(path, async (c) => {
      const read = await readJsonRpcBody(c, opts.limits);
      if (read instanceof Response) return read;
      const refused = await chargePost(opts.auth, c.var.principal, read.body);
      if (refused) return replyResponse(refused);
      const answer = await endpoint.post(c.var.projectId, serverName(c), c.var.principal, c.req.raw, read.body, requestMeta(c));
      return answer instanceof Response ? answer : sendReply(c, answer);
    });
    // GET …/mcp — the session's stream of server-initiated messages
    app.get(path, (c) => endpoint.stream(c.var.projectId, serverName(c), c.var.principal, c.req.raw));
    // DELETE …/mcp — the client ends its session
    app.delete(path, (c) => endpoint.end(c.var.projectId, serverName(c), c.var.principal, c.req.raw));
    app.all(path, () => jsonRpcErrorResponse(405, JSONRPC.serverError, "Method not allowed.", { allow: "GET, POST, DELETE" }));
  }
  return app;
}

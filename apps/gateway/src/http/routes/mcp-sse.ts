import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";
import { Hono, type Context } from "hono";
import { JSONRPC } from "../../mcp/jsonrpc-errors";
import { jsonRpcErrorResponse, replyResponse } from "../../mcp/transport/jsonrpc";
import type { SseEndpoint } from "../../mcp/transport/sse-endpoint";
import type { Authenticator } from "../../auth/authenticator";
import { chargePost, readJsonRpcBody, requestMeta, sendReply, type BodyLimits, type McpEnv } from "../mcp-http";

export interface SseRouteOptions {
  limits: BodyLimits;
  auth: Pick<Authenticator, "charge">;
}

const endpointOf = (c: Context<McpEnv>) => ({ projectId: c.var.projectId, serverName: c.req.param("serverName") ?? null });

/** Legacy HTTP+SSE on the project endpoint and on each server's endpoint. */
export function sseRoutes(sse: SseEndpoint, opts: SseRouteOptions): Hono<McpEnv> {
  const app = new Hono<McpEnv>();
  for (const base of ["/projects/:projectId", "/projects/:projectId/servers/:serverName"]) {
    // GET …/sse — opens the event stream; its first event names the messages URL
    app.get(`${base}/sse`, async (c) => {
      const res = c.env?.outgoing;
      if (!res) return jsonRpcErrorResponse(500, JSONRPC.serverError, "SSE needs the Node HTTP server");
      const endpoint = endpointOf(c);
      const prepared = await sse.prepare(endpoint, c.var.principal);
      if (prepared instanceof Response) return prepared;
      await sse.open(endpoint, prepared.serverId, c.var.principal, res, requestMeta(c), prepared.claim);
      return RESPONSE_ALREADY_SENT;
    });
    // POST …/messages?sessionId= — client messages; replies travel on the stream
    app.post(`${base}/messages`, async (c) => {
      const read = await readJsonRpcBody(c, opts.limits);
      if (read instanceof Response) return read;
      const refused = await chargePost(opts.auth, c.var.principal, read.body);
      if (refused) return replyResponse(refused);
      const messages = Array.isArray(read.body) ? read.body : [read.body];
      let info: MessageExtraInfo | undefined;
      const extra = () => (info ??= { requestInfo: { headers: Object.fromEntries(c.req.raw.headers), url: new URL(c.req.url) } });
      const answer = await sse.post(endpointOf(c), c.var.principal, c.req.query("sessionId"), messages, extra);
      return answer instanceof Response ? answer : sendReply(c, answer);
    });
  }
  return app;
}

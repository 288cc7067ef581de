/**
 * The requests of an endpoint besides tools: list pages of prompts, resources and templates,
 * prompts/get, resources/read and completion/complete (each routed to its server and logged like
 * a tool call, with its method), resource subscriptions, logging/setLevel and the client's
 * roots/list_changed, forwarded upstream.
 */
import {
  McpError,
  type CompleteRequest,
  type GetPromptRequest,
  type LoggingLevel,
  type ReadResourceRequest,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import type { LoggedMethod, ToolCallStatus } from "@switchyard/shared";
import { callId } from "../tools/call-ids";
import { passthroughResult, type EndpointFeatures, type FeatureList } from "./endpoint-features";
import type { Inflight } from "../sessions/inflight";
import type { LogWriterPort, UpstreamPoolPort } from "../ports";
import type { ProjectState, ProjectStates, ServerEntry } from "../projects/project-state";
import type { Session } from "../sessions/session";
import { mostVerbose, subscriptionKey } from "../sessions/session-relay";
import type { SessionRegistry } from "../sessions/session-registry";
import type { RelayStats } from "../upstream/server-requests";
import { JSONRPC, JsonRpcError, plainMessage } from "../jsonrpc-errors";
import { callFailure, upstreamFailure } from "../tools/upstream-failure";

export interface FeatureRequestDeps {
  states: ProjectStates;
  features: EndpointFeatures;
  pool: Pick<UpstreamPoolPort, "request" | "notify">;
  writer: Pick<LogWriterPort, "recordCall" | "sessionActivity">;
  registry: Pick<SessionRegistry, "forProject">;
  inflight: Inflight;
  /** Records a session's new log level or subscriptions where every instance reads them (the session hub). */
  sessionChanged: (session: Session) => Promise<void>;
}

export interface RequestContext {
  signal: AbortSignal;
  requestId: RequestId;
}

type Result = Record<string, unknown>;

export class FeatureRequests {
  constructor(private readonly deps: FeatureRequestDeps) {}

  async list(session: Session, list: FeatureList, cursor: string | undefined): Promise<Result> {
    const state = await this.deps.states.forRequest(session.endpoint.projectId);
    if (!state) return { [list]: [] };
    const { items, nextCursor } = await this.deps.features.list(state, session, list, cursor);
    session.touch();
    return { [list]: items, ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }

  getPrompt(session: Session, params: GetPromptRequest["params"], ctx: RequestContext): Promise<Result> {
    return this.forward(session, ctx, "prompts/get", params.name, params, async (state) => {
      const route = await this.deps.features.routePrompt(state, session, params.name);
      if (!route) throw new JsonRpcError(JSONRPC.invalidParams, `Unknown prompt: ${params.name}`);
      return { server: route.server, identifier: route.name, params: { ...params, name: route.name } };
    });
  }

  readResource(session: Session, params: ReadResourceRequest["params"], ctx: RequestContext): Promise<Result> {
    return this.forward(session, ctx, "resources/read", params.uri, params, async (state) => {
      const server = await this.deps.features.routeUri(state, session, params.uri);
      if (!server) throw new JsonRpcError(JSONRPC.resourceNotFound, `Resource not found: ${params.uri}`);
      return { server, identifier: params.uri, params };
    });
  }

  complete(session: Session, params: CompleteRequest["params"], ctx: RequestContext): Promise<Result> {
    const { ref } = params;
    const identifier = ref.type === "ref/prompt" ? ref.name : ref.uri;
    return this.forward(session, ctx, "completion/complete", identifier, params, async (state) => {
      if (ref.type === "ref/prompt") {
        const route = await this.deps.features.routePrompt(state, session, ref.name);
        if (!route) throw new JsonRpcError(JSONRPC.invalidParams, `Unknown prompt: ${ref.name}`);
        return { server: route.server, identifier: route.name, params: { ...params, ref: { ...ref, name: route.name } } };
      }
      const server = await this.deps.features.routeTemplate(state, session, ref.uri);
      if (!server) throw new JsonRpcError(JSONRPC.invalidParams, `Unknown resource template: ${ref.uri}`);
      return { server, identifier: ref.uri, params };
    });
  }

  /** resources/subscribe and unsubscribe: the session's own list, forwarded to the owning server. */
  async subscribe(session: Session, uri: string, subscribe: boolean, ctx: RequestContext): Promise<Result> {
    const state = await this.requireState(session);
    const server = await this.deps.features.routeUri(state, session, uri);
    if (!server) throw new JsonRpcError(JSONRPC.resourceNotFound, `Resource not found: ${uri}`);
    const key = subscriptionKey(server.id, uri);
    const forward = (method: string) =>
      this.deps.pool.request(this.deps.features.callOptions(state, server, session, { signal: ctx.signal }), { method, params: { uri } }, passthroughResult).catch((e: unknown) => {
        throw asJsonRpc(e);
      });
    if (subscribe) {
      // Recorded once the upstream agreed: an upstream that this request starts hears the URI once,
      // and one that restarts later hears it again (upstream-pool.ts, restoreSubscriptions).
      await forward("resources/subscribe");
      session.subscribe(key);
      await this.deps.sessionChanged(session);
      return {};
    }
    session.unsubscribe(key);
    await this.deps.sessionChanged(session);
    // A shared upstream keeps one subscription for every session: it ends with the last subscriber.
    const othersStill = server.row.isolation === "shared" && this.deps.registry.forProject(state.projectId).some((s) => s !== session && s.isSubscribed(key));
    if (!othersStill) await forward("resources/unsubscribe");
    return {};
  }

  /**
   * logging/setLevel: the session's own threshold, and upstream the most verbose level any session
   * of a shared server wants (the gateway filters per session).
   */
  async setLevel(session: Session, level: LoggingLevel, ctx: RequestContext): Promise<Result> {
    session.setLogLevel(level);
    await this.deps.sessionChanged(session);
    const state = await this.requireState(session);
    const sessions = this.deps.registry.forProject(state.projectId);
    const servers = this.deps.features.servers(state, session);
    await Promise.all(
      servers.map(async (server) => {
        const caps = await this.deps.features.serverCapabilities(state, server, session);
        if (!caps?.logging) return;
        const upstreamLevel = server.row.isolation === "shared" ? (mostVerbose(sessions.filter((s) => s.shows(server.id))) ?? level) : level;
        await this.deps.pool
          .request(this.deps.features.callOptions(state, server, session, { signal: ctx.signal }), { method: "logging/setLevel", params: { level: upstreamLevel } }, passthroughResult)
          .catch(() => undefined); // one server's refusal does not fail the others' levels
      }),
    );
    return {};
  }

  /** The client's roots changed: its running upstreams hear it (a stopped one asks afresh when it starts). */
  async rootsChanged(session: Session): Promise<void> {
    const state = await this.deps.states.get(session.endpoint.projectId).catch(() => null);
    if (!state) return;
    await Promise.all(
      this.deps.features.servers(state, session).map((server) =>
        this.deps.pool.notify({ projectId: state.projectId, serverId: server.id, sessionId: session.id }, { method: "notifications/roots/list_changed" }).catch(() => undefined),
      ),
    );
  }

  private async forward(
    session: Session,
    ctx: RequestContext,
    method: LoggedMethod,
    exposed: string,
    input: unknown,
    route: (state: ProjectState) => Promise<{ server: ServerEntry; identifier: string; params: Record<string, unknown> }>,
  ): Promise<Result> {
    const startedAt = new Date();
    const t0 = performance.now();
    this.deps.inflight.enter();
    session.beginRequest();
    let server: ServerEntry | undefined;
    let identifier = exposed;
    let scrub: ServerEntry["scrub"] | undefined;
    let result: Result | undefined;
    let failure: { status: ToolCallStatus; errorCode: number; errorMessage: string; errorData?: unknown } | undefined;
    const relays: RelayStats = { count: 0, durationMs: 0 };
    try {
      const state = await this.requireState(session);
      scrub = state.projectScrub;
      const routed = await route(state);
      server = routed.server;
      identifier = routed.identifier;
      scrub = server.scrub;
      const options = this.deps.features.callOptions(state, server, session, { signal: ctx.signal, caller: { sessionId: session.id, relatedRequestId: ctx.requestId, relays } });
      try {
        result = await this.deps.pool.request(options, { method, params: routed.params }, passthroughResult);
      } catch (e) {
        failure = callFailure(e, ctx.signal);
      }
    } catch (e) {
      const error = asJsonRpc(e);
      failure = { status: error.code === JSONRPC.invalidParams || error.code === JSONRPC.resourceNotFound ? "rejected" : "error", errorCode: error.code, errorMessage: error.message };
    } finally {
      session.endRequest();
    }
    const finishedAt = new Date();
    try {
      if (scrub) {
        this.deps.writer.recordCall(
          {
            id: callId(startedAt.getTime()),
            projectId: session.endpoint.projectId,
            serverId: server?.id ?? session.serverId,
            serverName: server?.name ?? session.endpoint.serverName ?? "",
            sessionId: session.id,
            apiKeyId: session.apiKeyId,
            userId: session.userId,
            method,
            toolName: identifier,
            exposedName: exposed,
            status: failure?.status ?? "success",
            errorCode: failure?.errorCode ?? null,
            errorMessage: failure?.errorMessage ?? null,
            input,
            output: result ?? null,
            durationMs: Math.round(performance.now() - t0),
            startedAt,
            finishedAt,
            requestId: String(ctx.requestId),
            clientType: session.clientType,
            ...(relays.count > 0 ? { relayCount: relays.count, relayMs: Math.round(relays.durationMs) } : {}),
          },
          scrub,
        );
      }
      this.deps.writer.sessionActivity(session.id, finishedAt, { failed: failure !== undefined });
    } finally {
      this.deps.inflight.leave();
    }
    if (result) return result;
    throw new JsonRpcError(failure?.errorCode ?? JSONRPC.internalError, failure?.errorMessage ?? `${method} failed`, failure?.errorData);
  }

  private async requireState(session: Session): Promise<ProjectState> {
    const state = await this.deps.states.forRequest(session.endpoint.projectId);
    if (!state) throw new JsonRpcError(JSONRPC.invalidRequest, "project not found");
    return state;
  }
}

function asJsonRpc(e: unknown): JsonRpcError {
  if (e instanceof JsonRpcError) return e;
  if (e instanceof McpError) return new JsonRpcError(e.code, plainMessage(e), e.data);
  const failure = upstreamFailure(e);
  return new JsonRpcError(failure.errorCode, failure.errorMessage, failure.errorData);
}

/**
 * One tools/call from a downstream session: route it, pass it to the upstream pool with the
 * caller's cancellation and progress wired through, hand the result back unchanged, and record
 * exactly one log row whatever happens. Nothing here touches the database.
 */
import { McpError, type CallToolRequest, type CallToolResult, type Progress, type ProgressNotification, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { ToolCallStatus } from "@switchyard/shared";
import type { GatewayMetrics } from "../../metrics/gateway-metrics";
import { callId } from "./call-ids";
import type { CallSlots } from "./call-slots";
import type { Inflight } from "../sessions/inflight";
import type { LogWriterPort, ScrubContext, UpstreamPoolPort } from "../ports";
import type { ProjectStates } from "../projects/project-state";
import type { Session } from "../sessions/session";
import type { ToolCatalogue, ToolRoute } from "./tool-catalogue";
import type { RelayStats } from "../upstream/server-requests";
import { JSONRPC, JsonRpcError, plainMessage } from "../jsonrpc-errors";
import { callFailure } from "./upstream-failure";

/** What a call needs from the request it came in: the SDK's request extra, or the fast path's own. */
export interface CallContext {
  /** Aborted when the client cancels the request (notifications/cancelled). */
  signal: AbortSignal;
  requestId: RequestId;
  /**
   * The request messages from the upstream (sampling, elicitation, log lines) are related to, so
   * they travel on its reply stream; undefined when the reply is a lone JSON answer.
   */
  relatedRequestId: RequestId | undefined;
  /** Sends a progress notification to the caller, related to this request. */
  sendProgress: (params: ProgressNotification["params"]) => Promise<void>;
}

/** A tools/call request as the handler needs it (parsed by the SDK, or checked by the fast path). */
export type CallRequest = Pick<CallToolRequest, "params">;

export interface ToolCallDeps {
  pool: Pick<UpstreamPoolPort, "callTool">;
  writer: Pick<LogWriterPort, "recordCall" | "sessionActivity">;
  states: ProjectStates;
  catalogue: ToolCatalogue;
  inflight: Inflight;
  /** Concurrency caps per credential and project; none when absent. */
  slots?: CallSlots;
  metrics?: GatewayMetrics;
}

/**
 * SDK clients handle notifications a microtask after responses: a progress notification read in
 * the same chunk as the result finds its handler gone and is dropped. After forwarding progress,
 * the result waits this long so the two travel apart — long enough that a client whose event loop
 * is busy for a moment (seen in CI with 5 ms) still reads them in separate chunks; only calls that
 * reported progress, long-running by nature, wait at all.
 */
const PROGRESS_GAP_MS = 25;

/** Stored when the project's own settings cannot be read: nothing but metadata. */
const FALLBACK_SCRUB: ScrubContext = { secrets: [], rules: [], policy: "metadata_only" };

interface Outcome {
  status: ToolCallStatus;
  result?: CallToolResult;
  errorCode?: number;
  errorMessage?: string;
  errorData?: unknown;
  relays?: RelayStats;
}

/** A call answered, waiting to be recorded. */
interface FinishedCall {
  session: Session;
  requestId: RequestId;
  name: string;
  args: unknown;
  route: ToolRoute | undefined;
  scrub: ScrubContext;
  outcome: Outcome;
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number;
  durationMs: number;
}

export class ToolCalls {
  private unrecorded: FinishedCall[] = [];

  constructor(private readonly deps: ToolCallDeps) {}

  async handle(session: Session, request: CallRequest, extra: CallContext): Promise<CallToolResult> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const { name, arguments: args } = request.params;
    this.deps.inflight.enter();
    session.beginRequest();
    let route: ToolRoute | undefined;
    let scrub = FALLBACK_SCRUB;
    let outcome: Outcome;
    try {
      // Each step answers at once when it can (a loaded project, a known tool, local caps): no await, no async hop.
      const projectId = session.endpoint.projectId;
      let state = this.deps.states.loaded(projectId);
      if (state === undefined) state = await this.deps.states.forRequest(projectId);
      if (!state) throw new JsonRpcError(JSONRPC.invalidRequest, "project not found");
      scrub = state.projectScrub;
      const found = this.deps.catalogue.route(state, session.endpoint, name, session.id);
      route = found instanceof Promise ? await found : found;
      if (route) scrub = route.server.scrub;
      const refusal = !route ? `Unknown tool: ${name}` : route.refusal === "disabled" ? `Tool ${name} is disabled in this project` : route.refusal === "held" ? `Tool ${name} is waiting for approval in this project` : undefined;
      let slot = refusal || !route || !this.deps.slots ? undefined : this.deps.slots.take(session.identity, projectId);
      if (slot instanceof Promise) slot = await slot;
      if (refusal || !route) {
        outcome = { status: "rejected", errorCode: JSONRPC.invalidParams, errorMessage: refusal };
      } else if (slot && !slot.ok) {
        // A concurrency cap: the HTTP answer cannot be 429 mid-stream, so a server-defined error.
        outcome = { status: "rejected", errorCode: JSONRPC.serverError, errorMessage: slot.message };
      } else {
        try {
          outcome = await this.forward(session, route, request, extra);
        } finally {
          slot?.slot.release();
        }
      }
    } catch (e) {
      outcome = { status: "error", errorCode: e instanceof JsonRpcError || e instanceof McpError ? e.code : JSONRPC.internalError, errorMessage: plainMessage(e) };
    } finally {
      session.endRequest();
    }
    const durationMs = performance.now() - t0;
    // Recorded once the response is on its way (the writer prepares the row synchronously); the
    // call stays in flight until then, so shutdown never closes the writer before it is recorded.
    if (this.unrecorded.push({ session, requestId: extra.requestId, name, args, route, scrub, outcome, startedAt, finishedAt: Date.now(), durationMs }) === 1) setImmediate(this.recordAll);
    if (outcome.result) return outcome.result;
    throw new JsonRpcError(outcome.errorCode ?? JSONRPC.internalError, outcome.errorMessage ?? "tool call failed", outcome.errorData);
  }

  private async forward(session: Session, route: ToolRoute, request: CallRequest, extra: CallContext): Promise<Outcome> {
    const { progressToken, ...meta } = request.params._meta ?? {};
    // The pool numbers its own progress tokens upstream; map them back to the caller's token.
    let progressSent = false;
    const onProgress =
      progressToken === undefined
        ? undefined
        : (p: Progress) => {
            progressSent = true;
            extra.sendProgress({ ...p, progressToken }).catch(() => undefined);
          };
    const relays: RelayStats = { count: 0, durationMs: 0 };
    const caps = session.clientCapabilities;
    try {
      const result = await this.deps.pool.callTool(
        {
          projectId: session.endpoint.projectId,
          serverId: route.server.id,
          sessionId: session.id,
          signal: extra.signal,
          caller: { sessionId: session.id, relatedRequestId: extra.relatedRequestId, relays },
          ...(caps ? { clientCapabilities: caps } : {}),
          ...(onProgress ? { onProgress } : {}),
        },
        {
          name: route.toolName,
          ...(request.params.arguments !== undefined ? { arguments: request.params.arguments } : {}),
          ...(Object.keys(meta).length > 0 ? { _meta: meta } : {}),
        },
      );
      if (progressSent) await new Promise((resolve) => setTimeout(resolve, PROGRESS_GAP_MS));
      return { status: result.isError === true ? "error" : "success", result, relays };
    } catch (e) {
      return { ...callFailure(e, extra.signal), relays };
    }
  }

  /** Records the calls answered since the last turn: one immediate for all of them, not one per call. */
  private readonly recordAll = (): void => {
    const calls = this.unrecorded;
    this.unrecorded = [];
    let failure: Error | undefined;
    for (const call of calls) {
      try {
        this.record(call);
      } catch (e) {
        failure ??= e instanceof Error ? e : new Error(String(e));
      } finally {
        this.deps.inflight.leave();
      }
    }
    if (failure !== undefined) throw failure;
  };

  private record(call: FinishedCall): void {
    const { outcome, route, session } = call;
    const startedAt = new Date(call.startedAt);
    const finishedAt = new Date(call.finishedAt);
    const serverName = route?.server.name ?? session.endpoint.serverName ?? "";
    this.deps.writer.recordCall(
      {
        id: callId(call.startedAt),
        projectId: session.endpoint.projectId,
        serverId: route?.server.id ?? session.serverId,
        serverName,
        sessionId: session.id,
        apiKeyId: session.apiKeyId,
        userId: session.userId,
        toolName: route?.toolName ?? call.name,
        exposedName: call.name,
        status: outcome.status,
        errorCode: outcome.errorCode ?? null,
        errorMessage: outcome.errorMessage ?? null,
        input: call.args ?? null,
        output: outcome.result ?? null,
        durationMs: Math.round(call.durationMs),
        startedAt,
        finishedAt,
        requestId: String(call.requestId),
        clientType: session.clientType,
        ...(outcome.relays && outcome.relays.count > 0 ? { relayCount: outcome.relays.count, relayMs: Math.round(outcome.relays.durationMs) } : {}),
      },
      call.scrub,
    );
    this.deps.writer.sessionActivity(session.id, finishedAt, { failed: outcome.status !== "success" });
    this.deps.metrics?.callFinished(session.endpoint.projectId, serverName, outcome.status, call.durationMs);
  }
}

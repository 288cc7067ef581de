/**
 * What an upstream asks of the client side: `sampling/createMessage`, `elicitation/create` and
 * `roots/list` requests, `notifications/message` log lines and `notifications/resources/updated`.
 * None of them names the call it belongs to, so the pool decides which downstream session gets
 * them (see docs/ARCHITECTURE.md, "Server-to-client requests"):
 * - a per_session upstream belongs to one session: everything goes to it;
 * - a shared upstream relays what arrives while calls of exactly one session run on it to that
 *   session (related to the call when only one runs); with no call, or calls of several sessions,
 *   requests are refused with a clear error, log lines go to the sessions that asked for logs.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { Protocol } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { JSONRPC } from "../jsonrpc-errors";
import { McpError, type ClientCapabilities, type LoggingLevel, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

/** Counted on the call a relayed request served, for its log row. */
export interface RelayStats {
  count: number;
  durationMs: number;
}

/** A downstream request an upstream request serves, while it runs. */
export interface CallerRef {
  sessionId: string;
  /** Set when the reply can carry messages related to it (not the JSON-only fast path). */
  relatedRequestId: RequestId | undefined;
  relays: RelayStats;
}

export interface RelayTarget {
  sessionId: string;
  relatedRequestId: RequestId | undefined;
}

export interface UpstreamSource {
  projectId: string;
  serverId: string;
  /** The session a per_session upstream belongs to; null for a shared one. */
  sessionId: string | null;
}

/** The gateway's side of the relay (the session hub implements it). */
export interface DownstreamRelay {
  /** Asks the session's client; rejects when it cannot (no such session, capability not declared). */
  request(target: RelayTarget, request: { method: string; params?: Record<string, unknown> }, options: { signal: AbortSignal; timeoutMs: number }): Promise<Record<string, unknown>>;
  /** A log line: to `target` (the calling session), or, with none, to the sessions whose level admits it. */
  log(source: UpstreamSource, target: RelayTarget | undefined, params: Record<string, unknown>): void;
  resourceUpdated(source: UpstreamSource, params: Record<string, unknown>): void;
  /** The level `logging/setLevel` asked of this upstream (re-sent whenever it starts again); undefined when none. */
  logLevel(source: UpstreamSource): LoggingLevel | undefined;
  /** The URIs sessions subscribed to on this upstream (re-subscribed whenever it starts again), each once. */
  subscriptions(source: UpstreamSource): string[];
}

/** The relayed capabilities a downstream client declared (what its per_session upstream declares). */
export function relayedCapabilitiesOf(client: ClientCapabilities | undefined): ClientCapabilities {
  return {
    ...(client?.sampling ? { sampling: client.sampling } : {}),
    ...(client?.elicitation ? { elicitation: client.elicitation } : {}),
    ...(client?.roots ? { roots: client.roots } : {}),
  };
}

const loose = <M extends string>(method: M) => z.looseObject({ method: z.literal(method), params: z.looseObject({}).optional() });
const RELAYED_REQUESTS = [
  ["sampling", loose("sampling/createMessage")],
  ["elicitation", loose("elicitation/create")],
  ["roots", loose("roots/list")],
] as const;

/** Who gets what an upstream sends now: undefined when no single session can be told apart. */
export function relayTarget(source: UpstreamSource, calls: ReadonlySet<CallerRef>): { target: RelayTarget; caller: CallerRef | undefined } | undefined {
  const sessions = new Set([...calls].map((c) => c.sessionId));
  if (source.sessionId !== null) sessions.add(source.sessionId);
  if (sessions.size !== 1) return undefined;
  const [sessionId] = sessions as unknown as [string];
  const caller = calls.size === 1 ? [...calls][0] : undefined;
  return { target: { sessionId, relatedRequestId: caller?.relatedRequestId }, caller };
}

/**
 * Registers the relay on an upstream Client: handlers for the requests it declared the
 * capability of (registered on Protocol, so requests and answers pass through unvalidated, as
 * the gateway passes tool results), and for log and resource-update notifications.
 */
export function wireServerRequests(client: Client, declared: ClientCapabilities, source: UpstreamSource, calls: ReadonlySet<CallerRef>, relay: DownstreamRelay, timeoutMs: number): void {
  const setHandler = Protocol.prototype.setRequestHandler.bind(client) as (schema: ReturnType<typeof loose>, handler: (request: { method: string; params?: Record<string, unknown> }, extra: { signal: AbortSignal }) => Promise<Record<string, unknown>>) => void;
  for (const [capability, schema] of RELAYED_REQUESTS) {
    if (!declared[capability]) continue;
    setHandler(schema, async (request, extra) => {
      const found = relayTarget(source, calls);
      if (!found) {
        throw new McpError(
          JSONRPC.invalidRequest,
          `Switchyard relays ${request.method} from a shared upstream only during a call of one client session; isolate the server per session to relay it at any time`,
        );
      }
      const started = performance.now();
      try {
        return await relay.request(found.target, request.params ? { method: request.method, params: request.params } : { method: request.method }, { signal: extra.signal, timeoutMs });
      } finally {
        if (found.caller) {
          found.caller.relays.count++;
          found.caller.relays.durationMs += performance.now() - started;
        }
      }
    });
  }
  const setNotificationHandler = Protocol.prototype.setNotificationHandler.bind(client) as (schema: ReturnType<typeof loose>, handler: (n: { params?: Record<string, unknown> }) => void) => void;
  setNotificationHandler(loose("notifications/message"), (n) => relay.log(source, relayTarget(source, calls)?.target, n.params ?? {}));
  setNotificationHandler(loose("notifications/resources/updated"), (n) => relay.resourceUpdated(source, n.params ?? {}));
}

/**
 * The one place that decides which way the hot call goes (docs/ARCHITECTURE.md, "The hot call").
 *
 * Downstream, a POSTed message is answered either by the fast path (fast-call.ts: a lone
 * tools/call run without the SDK's per-request machinery) or by the session's SDK `Server`
 * (sessions/proxy-server.ts). Upstream, a tools/call goes out either through `DirectRequests`
 * (upstream/direct-requests.ts, beside the SDK Client on the transport it owns) or through the SDK
 * Client's own `request()`. Both pairs give the same answers and log rows: test/route-parity.test.ts
 * runs the same calls through each and compares them.
 *
 * `HotPath` is the setting (the gateway's `hotPath` option); the defaults are the fast ones. The
 * SDK routes stay available as a fallback should an SDK upgrade break the takeover of its
 * transport handlers (upstream/sdk-contract.test.ts fails first).
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import type { Session } from "../sessions/session";
import { pickToolCall, type FastCall } from "./fast-call";

export interface HotPath {
  /** `fast`: a tools/call the fast path can take skips the SDK Server; `sdk`: every message goes through it. */
  downstream: "fast" | "sdk";
  /** `direct`: tools/call goes upstream through DirectRequests; `sdk`: through the SDK Client's request(). */
  upstream: "direct" | "sdk";
}

export const DEFAULT_HOT_PATH: HotPath = { downstream: "fast", upstream: "direct" };

export type Route = { path: "fast"; call: FastCall } | { path: "sdk" };

const SDK_ROUTE: Route = { path: "sdk" };

/** How the answer to a POSTed message reaches the client. */
export type ReplyChannel =
  /** Legacy SSE: the reply, and any request or notification related to the call, go on the session's stream. */
  | { kind: "stream" }
  /** Streamable HTTP: the fast path answers the POST with one JSON response, so nothing else can travel with it. */
  | { kind: "json"; headers: PostHeaders; session: Session };

/** The headers of a Streamable HTTP POST the route depends on (null when absent). */
export interface PostHeaders {
  accept: string | null;
  protocolVersion: string | null;
}

/** Which way one POSTed message (or a whole POST body) goes. */
export function chooseRoute(message: unknown, channel: ReplyChannel, downstream: HotPath["downstream"]): Route {
  if (downstream === "sdk") return SDK_ROUTE;
  const call = pickToolCall(message);
  if (!call) return SDK_ROUTE;
  if (channel.kind === "stream") return { path: "fast", call };
  // Progress needs a stream, and so do requests an upstream may make of the client during the
  // call (sampling, elicitation, roots): those calls take the SDK path, which answers with one.
  if (call.wantsProgress || channel.session.mayBeAsked || !acceptsEither(channel.headers)) return SDK_ROUTE;
  return { path: "fast", call };
}

/** What the SDK would check before answering: both media types accepted, a supported protocol version. */
function acceptsEither({ accept, protocolVersion }: PostHeaders): boolean {
  return accept !== null && accept.includes("application/json") && accept.includes("text/event-stream") && (protocolVersion === null || SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion));
}

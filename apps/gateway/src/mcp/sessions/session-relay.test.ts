/**
 * What an upstream that starts again is re-subscribed to (upstream-pool.ts, restoreSubscriptions):
 * each URI once, only its own server's, only its own session's for a per-session upstream.
 */
import { describe, expect, it } from "vitest";
import { Session } from "./session";
import { SessionRegistry } from "./session-registry";
import { SessionRelay, subscriptionKey } from "./session-relay";
import type { StreamRouter } from "./stream-router";

const PROJECT = "p1";

function session(id: string, subscribed: [serverId: string, uri: string][]): Session {
  const s = new Session({
    id,
    transport: "streamable_http",
    endpoint: { projectId: PROJECT, serverName: null },
    serverId: null,
    principal: { kind: "console", projectId: PROJECT, userId: `u-${id}` },
    clientType: "other",
    userAgent: null,
    ip: null,
  });
  for (const [serverId, uri] of subscribed) s.subscribe(subscriptionKey(serverId, uri));
  return s;
}

describe("SessionRelay.subscriptions", () => {
  const registry = new SessionRegistry();
  registry.add(session("a", [["s1", "demo://one"], ["s1", "demo://two"], ["s2", "demo://one"]]));
  registry.add(session("b", [["s1", "demo://one"], ["s1", "demo://three\nwith a newline"]]));
  const relay = new SessionRelay(registry, {} as StreamRouter);

  it("gives a shared upstream every URI its server's sessions subscribe to, each once", () => {
    expect(relay.subscriptions({ projectId: PROJECT, serverId: "s1", sessionId: null }).sort()).toEqual(["demo://one", "demo://three\nwith a newline", "demo://two"]);
    expect(relay.subscriptions({ projectId: PROJECT, serverId: "s2", sessionId: null })).toEqual(["demo://one"]);
  });

  it("gives a per-session upstream its own session's URIs only, and nothing for a session gone or another project", () => {
    expect(relay.subscriptions({ projectId: PROJECT, serverId: "s1", sessionId: "b" }).sort()).toEqual(["demo://one", "demo://three\nwith a newline"]);
    expect(relay.subscriptions({ projectId: PROJECT, serverId: "s1", sessionId: "gone" })).toEqual([]);
    expect(relay.subscriptions({ projectId: "other", serverId: "s1", sessionId: null })).toEqual([]);
  });
});

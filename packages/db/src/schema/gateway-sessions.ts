import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The portable state of every open MCP session, so that any gateway instance can serve any
 * request of it and a restart keeps it (docs/ARCHITECTURE.md, "Sessions across instances").
 * Written when the session opens and when its mutable part changes; deleted when it ends.
 * Unlike `client_sessions` (the batched log, kept after the end), this is read on the request path.
 */
export const gatewaySessions = pgTable(
  "gateway_sessions",
  {
    /** The MCP session id handed to the client. */
    id: uuid("id").primaryKey(),
    projectId: uuid("project_id").notNull(),
    /** `key:<id>` or `user:<id>`: the credential every request of the session must present. */
    identity: text("identity").notNull(),
    /** What initialize settled (endpoint, client capabilities and info, protocol version, declared capabilities). */
    state: jsonb("state").notNull(),
    /** Set by logging/setLevel. */
    logLevel: text("log_level"),
    /** Resource subscriptions, as `{serverId}\n{uri}`. */
    subscriptions: text("subscriptions").array().notNull().default([]),
    /** The gateway instance holding the session's open stream (GET stream, or the legacy SSE stream). */
    streamOwner: text("stream_owner"),
    /** Refreshed while the session is used (coarsely): sessions idle past the TTL are reaped. */
    activeAt: timestamp("active_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("gateway_sessions_identity_idx").on(t.projectId, t.identity), index("gateway_sessions_active_idx").on(t.activeAt)],
);

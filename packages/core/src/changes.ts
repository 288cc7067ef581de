/**
 * Committed changes that running gateways must act on at once — a revoked key, a project's or a
 * server's configuration — published with Postgres NOTIFY, so every process on the database (the
 * console, the CLI, every gateway instance) reaches every other without another service.
 */
import type { DbHandle } from "@switchyard/db";
import { z } from "zod";
import type { ServiceHooks } from "./context";

export const CHANGES_CHANNEL = "switchyard_changes";

const changeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("api_key.revoked"), projectId: z.string(), keyId: z.string(), hash: z.string() }),
  z.object({ type: z.literal("project.changed"), projectId: z.string() }),
  z.object({ type: z.literal("server.changed"), projectId: z.string(), serverId: z.string() }),
  // A console admin ended a client session: whichever instance holds it disconnects the client.
  z.object({ type: z.literal("session.end"), projectId: z.string(), sessionId: z.string() }),
  // A gateway changed a session's log level or subscriptions: instances holding a copy reload them.
  z.object({ type: z.literal("session.changed"), projectId: z.string(), sessionId: z.string() }),
]);
export type Change = z.infer<typeof changeSchema>;

type Sql = DbHandle["sql"];

export async function publishChange(sql: Sql, change: Change): Promise<void> {
  await sql.notify(CHANGES_CHANNEL, JSON.stringify(change));
}

export interface ChangeSubscription {
  unlisten: () => Promise<void>;
}

/**
 * Calls `onChange` for every change published by any process. `onConnect` runs on the first
 * connection and after every reconnect: notifications sent while disconnected are lost, so a
 * subscriber drops its caches there.
 */
export async function subscribeChanges(
  sql: Sql,
  onChange: (change: Change) => void,
  onConnect: () => void = () => undefined,
  onInvalid: (payload: string) => void = () => undefined,
): Promise<ChangeSubscription> {
  const listener = await sql.listen(
    CHANGES_CHANNEL,
    (payload) => {
      let json: unknown;
      try {
        json = JSON.parse(payload);
      } catch {
        onInvalid(payload);
        return;
      }
      const parsed = changeSchema.safeParse(json);
      if (parsed.success) onChange(parsed.data);
      else onInvalid(payload);
    },
    onConnect,
  );
  return { unlisten: () => listener.unlisten() };
}

/** Service hooks that announce committed changes to the gateways. */
export function changePublishingHooks(sql: Sql): Required<ServiceHooks> {
  return {
    apiKeyRevoked: (projectId, keyId, hash) => publishChange(sql, { type: "api_key.revoked", projectId, keyId, hash }),
    projectChanged: (projectId) => publishChange(sql, { type: "project.changed", projectId }),
    serverChanged: (projectId, serverId) => publishChange(sql, { type: "server.changed", projectId, serverId }),
    sessionEnded: (projectId, sessionId) => publishChange(sql, { type: "session.end", projectId, sessionId }),
  };
}

/** Runs every set's hook in order (e.g. enqueue a refresh, then announce the change); one failing hook does not stop the others. */
export function combineHooks(...sets: ServiceHooks[]): ServiceHooks {
  const all = async (run: (hooks: ServiceHooks) => Promise<void> | void | undefined) => {
    const errors: unknown[] = [];
    for (const hooks of sets) {
      try {
        await run(hooks);
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length) throw errors[0];
  };
  return {
    serverChanged: (projectId, serverId) => all((h) => h.serverChanged?.(projectId, serverId)),
    projectChanged: (projectId) => all((h) => h.projectChanged?.(projectId)),
    apiKeyRevoked: (projectId, keyId, hash) => all((h) => h.apiKeyRevoked?.(projectId, keyId, hash)),
    sessionEnded: (projectId, sessionId) => all((h) => h.sessionEnded?.(projectId, sessionId)),
  };
}

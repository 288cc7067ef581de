import type { Database } from "@switchyard/db";
import type { Keyring } from "./secrets";
import type { ServerPolicy } from "./servers/server-policy";

/** Who is acting: a signed-in console user, the admin CLI (trusted like an instance admin), or the system itself. */
export type Actor = { kind: "user"; userId: string; isAdmin: boolean } | { kind: "cli" } | { kind: "system" };

export const CLI_ACTOR: Actor = { kind: "cli" };
export const SYSTEM_ACTOR: Actor = { kind: "system" };

/** Side effects that follow a committed change (queue jobs, cross-instance invalidation). */
export interface ServiceHooks {
  serverChanged?: (projectId: string, serverId: string) => Promise<void> | void;
  projectChanged?: (projectId: string) => Promise<void> | void;
  apiKeyRevoked?: (projectId: string, keyId: string, hash: string) => Promise<void> | void;
  sessionEnded?: (projectId: string, sessionId: string) => Promise<void> | void;
}

export interface ServiceDeps {
  db: Database;
  keyring: Keyring;
  policy: ServerPolicy;
  hooks?: ServiceHooks;
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.userId : null;
}

export function isInstanceAdmin(actor: Actor): boolean {
  return actor.kind === "cli" || actor.kind === "system" || (actor.kind === "user" && actor.isAdmin);
}

/** Runs a hook after commit; a failing hook is reported but never undoes the committed change. */
export async function runHook(fn: (() => Promise<void> | void) | undefined, onError: (e: unknown) => void = () => undefined): Promise<void> {
  if (!fn) return;
  try {
    await fn();
  } catch (e) {
    onError(e);
  }
}

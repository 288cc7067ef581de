import type { Database } from "@switchyard/db";
import type { Keyring } from "./secrets";
import type { ServerPolicy } from "./servers/server-policy";

// Actors live in actor.ts (the server policy needs them and the context needs the policy).
export { actorUserId, CLI_ACTOR, isInstanceAdmin, SYSTEM_ACTOR, type Actor } from "./actor";

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

/** Runs a hook after commit; a failing hook is reported but never undoes the committed change. */
export async function runHook(fn: (() => Promise<void> | void) | undefined, onError: (e: unknown) => void = () => undefined): Promise<void> {
  if (!fn) return;
  try {
    await fn();
  } catch (e) {
    onError(e);
  }
}

/** Who is acting: a signed-in console user, the admin CLI (trusted like an instance admin), or the system itself. */
export type Actor = { kind: "user"; userId: string; isAdmin: boolean } | { kind: "cli" } | { kind: "system" };

export const CLI_ACTOR: Actor = { kind: "cli" };
export const SYSTEM_ACTOR: Actor = { kind: "system" };

export function actorUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.userId : null;
}

export function isInstanceAdmin(actor: Actor): boolean {
  return actor.kind === "cli" || actor.kind === "system" || (actor.kind === "user" && actor.isAdmin);
}

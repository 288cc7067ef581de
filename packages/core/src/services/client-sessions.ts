/** Ending a client session from the console: recorded, then announced so the holding gateway disconnects it. */
import { getClientSession, insertActivity, markClientSessionEnded, type ClientSessionView } from "@switchyard/db";
import { AppError, notFound } from "@switchyard/shared";
import { actorUserId, runHook, type Actor, type ServiceDeps } from "../context";

/** The end reason recorded for sessions ended from the console. */
export const ENDED_BY_ADMIN = "ended_by_admin";

/**
 * Marks an open session ended and publishes `session.end`: every gateway instance hears it and
 * the one holding the session closes its transport (the client sees its stream end and gets 404
 * on its next request, as after any ended session).
 */
export async function endClientSession(
  deps: Pick<ServiceDeps, "db" | "hooks">,
  actor: Actor,
  project: { id: string; teamId: string },
  sessionId: string,
): Promise<ClientSessionView> {
  const ended = await deps.db.transaction(async (tx) => {
    const row = await markClientSessionEnded(tx, project.id, sessionId, ENDED_BY_ADMIN);
    if (!row) {
      const existing = await getClientSession(tx, { teamId: project.teamId, projectId: project.id }, sessionId);
      if (!existing) throw notFound("session");
      throw new AppError("conflict", "This session has already ended");
    }
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: "session.ended",
      targetType: "client_session",
      targetId: row.id,
      summary: `Session of ${row.clientName ?? "an unknown client"} ended from the console`,
    });
    return row;
  });
  await runHook(deps.hooks?.sessionEnded && (() => deps.hooks?.sessionEnded?.(project.id, ended.id)));
  return ended;
}

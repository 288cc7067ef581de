"use server";

import { endClientSession } from "@switchyard/core/services";
import { deleteSavedView, insertSavedView } from "@switchyard/db";
import { AppError, notFound, parseLogQuery } from "@switchyard/shared";
import { z } from "zod";
import { action } from "../action";

/** URL keys a saved view keeps (the explorer's whole state); anything else is dropped. */
const VIEW_KEYS = ["q", "range", "from", "to", "group"];

/** Saves the explorer's current URL state under a name, for everyone in the project. */
export const createSavedView = action.project({
  name: "savedViews.create",
  role: "developer",
  input: z.object({ projectId: z.uuid(), name: z.string().trim().min(1).max(80), state: z.string().max(4000) }),
  handler: async ({ deps, project, user }, input) => {
    const given = new URLSearchParams(input.state);
    const kept = new URLSearchParams([...given].filter(([k]) => VIEW_KEYS.includes(k)));
    const parsed = parseLogQuery(kept.get("q") ?? "");
    if (!parsed.ok) throw new AppError("invalid_input", `The view's query does not parse: ${parsed.error.message}`);
    const view = await insertSavedView(deps.db, project.id, { name: input.name, state: kept.toString(), createdBy: user.id });
    return { id: view.id, name: view.name, state: view.state };
  },
});

export const deleteView = action.project({
  name: "savedViews.delete",
  role: "developer",
  input: z.object({ projectId: z.uuid(), viewId: z.uuid() }),
  handler: async ({ deps, project }, input) => {
    if (!(await deleteSavedView(deps.db, project.id, input.viewId))) throw notFound("view");
    return { id: input.viewId };
  },
});

/** Ends an open client session; every gateway instance hears it and the one holding it disconnects the client. */
export const endSession = action.project({
  name: "sessions.end",
  role: "admin",
  input: z.object({ projectId: z.uuid(), sessionId: z.uuid() }),
  handler: async ({ deps, actor, project }, input) => {
    const ended = await endClientSession(deps, actor, project, input.sessionId);
    return { id: ended.id, endedAt: ended.endedAt, endReason: ended.endReason };
  },
});

// GET /api/teams/:teamId/sessions — client sessions of the team or one project, filtered, by cursor.
import { getProject, listClientSessions } from "@switchyard/db";
import { CLIENT_TYPES, notFound } from "@switchyard/shared";
import { z } from "zod";
import { route } from "@/server/action";

export const GET = route.team({
  name: "api.sessions.list",
  input: z.object({
    teamId: z.uuid(),
    projectId: z.uuid().optional(),
    state: z.enum(["open", "ended"]).optional(),
    client: z.enum(CLIENT_TYPES).optional(),
    keyId: z.uuid().optional(),
    q: z.string().max(100).optional(),
    before: z.string().max(80).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  }),
  handler: async ({ deps, team }, input) => {
    if (input.projectId && !(await getProject(deps.db, team.id, input.projectId))) throw notFound("project");
    return listClientSessions(deps.db, { teamId: team.id, ...(input.projectId ? { projectId: input.projectId } : {}) }, {
      limit: input.limit,
      ...(input.state ? { state: input.state } : {}),
      ...(input.client ? { clientType: input.client } : {}),
      ...(input.keyId ? { keyId: input.keyId } : {}),
      ...(input.q ? { q: input.q } : {}),
      ...(input.before ? { before: input.before } : {}),
    });
  },
});

// GET /api/teams/:teamId/activity — the team's (or one project's) activity feed, filtered and paginated.
import { searchActivityFeed } from "@switchyard/db";
import { ACTIVITY_TYPES, notFound } from "@switchyard/shared";
import { getProject } from "@switchyard/db";
import { z } from "zod";
import { route } from "@/server/action";
import { toActivityView } from "@/server/activity-view";

const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).max(50).optional());

export const GET = route.team({
  name: "api.activity.list",
  input: z.object({
    teamId: z.uuid(),
    projectId: z.uuid().optional(),
    type: list(z.enum(ACTIVITY_TYPES)),
    actor: z.uuid().optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    q: z.string().max(200).optional(),
    before: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(30),
  }),
  handler: async ({ deps, team }, input) => {
    // A project filter must name a project of this team.
    if (input.projectId && !(await getProject(deps.db, team.id, input.projectId))) throw notFound("project");
    const page = await searchActivityFeed(deps.db, team.id, {
      ...(input.projectId ? { projectId: input.projectId } : {}),
      ...(input.type ? { types: input.type } : {}),
      ...(input.actor ? { actorUserId: input.actor } : {}),
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
      ...(input.q ? { q: input.q } : {}),
      ...(input.before ? { before: input.before } : {}),
      limit: input.limit,
    });
    return { items: page.items.map(toActivityView), nextCursor: page.nextCursor };
  },
});

// GET /api/teams/:teamId/logs — calls matching an explorer query (team-wide or one project), newest first, by cursor.
import { MAX_LIST_PAGE, listLogCalls } from "@switchyard/db";
import { z } from "zod";
import { route } from "@/server/action";
import { explorerInput, explorerRead } from "@/server/explorer";

export const GET = route.team({
  name: "api.logs.list",
  input: explorerInput.extend({ before: z.string().max(80).optional(), limit: z.coerce.number().int().min(1).max(MAX_LIST_PAGE).default(100) }),
  handler: async ({ deps, team }, input) => {
    return explorerRead(deps, team, input, async ({ tenant, range, query }) => {
      const page = await listLogCalls(deps.db, tenant, { range, query, limit: input.limit, ...(input.before ? { before: input.before } : {}) });
      return { ...page, range };
    });
  },
});

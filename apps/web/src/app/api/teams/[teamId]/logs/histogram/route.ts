// GET /api/teams/:teamId/logs/histogram — calls per time bucket, stacked by status or another facet.
import { getLogHistogram, LOG_FACETS } from "@switchyard/db";
import { z } from "zod";
import { route } from "@/server/action";
import { explorerInput, explorerRead } from "@/server/explorer";

export const GET = route.team({
  name: "api.logs.histogram",
  input: explorerInput.extend({ group: z.enum(LOG_FACETS).default("status"), top: z.coerce.number().int().min(1).max(10).default(5) }),
  handler: async ({ deps, team }, input) => {
    return explorerRead(deps, team, input, ({ tenant, range, query }) => getLogHistogram(deps.db, tenant, range, query, { groupBy: input.group, top: input.top }));
  },
});

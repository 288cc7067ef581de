// GET /api/teams/:teamId/logs/facets — top values of every facet under an explorer query.
import { getLogFacets } from "@switchyard/db";
import { route } from "@/server/action";
import { explorerInput, explorerRead } from "@/server/explorer";

export const GET = route.team({
  name: "api.logs.facets",
  input: explorerInput,
  handler: async ({ deps, team }, input) => {
    return explorerRead(deps, team, input, ({ tenant, range, query }) => getLogFacets(deps.db, tenant, range, query));
  },
});

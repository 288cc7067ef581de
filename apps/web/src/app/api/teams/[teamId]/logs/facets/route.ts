// GET /api/teams/:teamId/logs/facets — top values of every facet under an explorer query.
import { getLogFacets } from "@switchyard/db";
import { route } from "@/server/action";
import { explorerInput, explorerScope } from "@/server/explorer";

export const GET = route.team({
  name: "api.logs.facets",
  input: explorerInput,
  handler: async ({ deps, team }, input) => {
    const { tenant, range, query } = await explorerScope(deps, team, input);
    return getLogFacets(deps.db, tenant, range, query);
  },
});

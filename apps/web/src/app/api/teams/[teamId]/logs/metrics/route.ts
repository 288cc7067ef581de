// GET /api/teams/:teamId/logs/metrics — count, error rate and duration percentiles under an explorer query.
import { getLogMetrics } from "@switchyard/db";
import { route } from "@/server/action";
import { explorerInput, explorerScope } from "@/server/explorer";

export const GET = route.team({
  name: "api.logs.metrics",
  input: explorerInput,
  handler: async ({ deps, team }, input) => {
    const { tenant, range, query } = await explorerScope(deps, team, input);
    return getLogMetrics(deps.db, tenant, range, query);
  },
});

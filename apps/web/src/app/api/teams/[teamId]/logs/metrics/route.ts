// GET /api/teams/:teamId/logs/metrics — count, error rate and duration percentiles under an explorer query.
import { getLogMetrics } from "@switchyard/db";
import { route } from "@/server/action";
import { explorerInput, explorerRead } from "@/server/explorer";

export const GET = route.team({
  name: "api.logs.metrics",
  input: explorerInput,
  handler: async ({ deps, team }, input) => {
    return explorerRead(deps, team, input, ({ tenant, range, query }) => getLogMetrics(deps.db, tenant, range, query));
  },
});

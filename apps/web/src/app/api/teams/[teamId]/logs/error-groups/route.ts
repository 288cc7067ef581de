// GET /api/teams/:teamId/logs/error-groups — failed calls grouped by server, tool and masked message.
import { listErrorGroups } from "@switchyard/db";
import { route } from "@/server/action";
import { explorerInput, explorerScope } from "@/server/explorer";

export const GET = route.team({
  name: "api.logs.errorGroups",
  input: explorerInput,
  handler: async ({ deps, team }, input) => {
    const { tenant, range, query } = await explorerScope(deps, team, input);
    return { range, groups: await listErrorGroups(deps.db, tenant, range, query) };
  },
});

// GET /api/teams/:teamId/logs/error-groups — failed calls grouped by server, tool and masked message.
import { listErrorGroups } from "@switchyard/db";
import { route } from "@/server/action";
import { explorerInput, explorerRead } from "@/server/explorer";

export const GET = route.team({
  name: "api.logs.errorGroups",
  input: explorerInput,
  handler: async ({ deps, team }, input) => {
    return explorerRead(deps, team, input, async ({ tenant, range, query }) => ({ range, groups: await listErrorGroups(deps.db, tenant, range, query) }));
  },
});

// GET /api/teams/:teamId/logs/calls/:key — one call (payloads for developers and above) and its session context.
import { getLogCall, listCallContext } from "@switchyard/db";
import { notFound, roleAtLeast } from "@switchyard/shared";
import { z } from "zod";
import { route } from "@/server/action";

export const GET = route.team({
  name: "api.logs.call",
  input: z.object({ teamId: z.uuid(), key: z.string().max(80) }),
  handler: async ({ deps, team }, input) => {
    const tenant = { teamId: team.id };
    const call = await getLogCall(deps.db, tenant, input.key, { withPayloads: roleAtLeast(team.role, "developer") });
    if (!call) throw notFound("call");
    const context = await listCallContext(deps.db, tenant, input.key, 5);
    return { call, context: context ?? { before: [], after: [] } };
  },
});

// GET /api/teams/:teamId/logs/export?format=ndjson|csv — every call matching the query, streamed as it is read.
import { z } from "zod";
import { route } from "@/server/action";
import { explorerInput, explorerScope } from "@/server/explorer";
import { exportResponse } from "@/server/log-export";

export const GET = route.team({
  name: "api.logs.export",
  input: explorerInput.extend({ format: z.enum(["ndjson", "csv"]).default("ndjson") }),
  handler: async ({ deps, team }, input) => exportResponse(deps.db, await explorerScope(deps, team, input), input.format),
});

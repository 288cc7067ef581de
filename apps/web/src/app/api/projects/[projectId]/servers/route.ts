// GET /api/projects/:projectId/servers — the cached server list (status columns only, never a probe), for polling.
import { z } from "zod";
import { route } from "@/server/action";
import { listServerViews } from "@/server/server-list";

export const GET = route.project({
  name: "api.servers.list",
  input: z.object({ projectId: z.uuid() }),
  handler: async ({ deps, project }) => listServerViews(deps, project.id),
});

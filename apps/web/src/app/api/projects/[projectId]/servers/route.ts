// GET /api/projects/:projectId/servers — the cached server list (status columns only, never a probe), for polling.
import { countHeldToolsByServer, listServers } from "@switchyard/db";
import { z } from "zod";
import { route } from "@/server/action";
import { toServerView } from "@/server/views";

export const GET = route.project({
  name: "api.servers.list",
  input: z.object({ projectId: z.uuid() }),
  handler: async ({ deps, project }) => {
    const [rows, held] = await Promise.all([listServers(deps.db, project.id), countHeldToolsByServer(deps.db, project.id)]);
    return { servers: rows.map((r) => toServerView(deps.keyring, r, held.get(r.id) ?? 0)) };
  },
});

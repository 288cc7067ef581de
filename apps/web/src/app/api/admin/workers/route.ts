// GET /api/admin/workers — worker status and run history for the instance admin page (polled).
import { getWorkerStatus, listWorkerJobRuns } from "@switchyard/core/services";
import { z } from "zod";
import { route } from "@/server/action";
import { toWorkerRunView, toWorkerStatusView } from "@/server/worker-view";

export const GET = route.admin({
  name: "api.admin.workers",
  input: z.object({ jobName: z.string().max(100).optional(), before: z.string().max(100).optional() }),
  handler: async ({ deps, actor }, input) => {
    const workerDeps = { db: deps.db, queues: deps.queues() };
    const [status, runs] = await Promise.all([
      getWorkerStatus(workerDeps, actor),
      listWorkerJobRuns(workerDeps, actor, { ...(input.jobName ? { jobName: input.jobName } : {}), ...(input.before ? { before: input.before } : {}), limit: 20 }),
    ]);
    return { status: toWorkerStatusView(status), runs: runs.items.map(toWorkerRunView), nextCursor: runs.nextCursor };
  },
});

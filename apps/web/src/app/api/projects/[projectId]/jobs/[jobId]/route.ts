// GET /api/projects/:projectId/jobs/:jobId — state and progress of a refresh job of this project.
import { getRefreshJobOrThrow } from "@switchyard/core/queues";
import { z } from "zod";
import { route } from "@/server/action";
import { toJobView } from "@/server/job-view";

export const GET = route.project({
  name: "api.jobs.get",
  input: z.object({ projectId: z.uuid(), jobId: z.string().min(1).max(100) }),
  handler: async ({ deps, project }, input) => toJobView(await getRefreshJobOrThrow({ queues: deps.queues() }, project.id, input.jobId)),
});

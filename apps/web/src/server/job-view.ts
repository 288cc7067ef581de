/** A refresh job as the console shows it: state and `{ total, done, online, … }` progress. */
import type { JobInfo } from "@switchyard/core/queues";
import { z } from "zod";

const progressSchema = z.object({
  total: z.number(),
  done: z.number(),
  online: z.number().optional(),
  degraded: z.number().optional(),
  offline: z.number().optional(),
  error: z.number().optional(),
});
export type JobProgress = z.infer<typeof progressSchema>;

export interface JobView {
  id: string;
  state: JobInfo["state"];
  finished: boolean;
  progress: JobProgress | null;
  failedReason: string | null;
  finishedAt: string | null;
}

export function toJobView(job: JobInfo): JobView {
  const progress = progressSchema.safeParse(job.progress);
  return {
    id: job.id,
    state: job.state,
    finished: job.state === "completed" || job.state === "failed",
    progress: progress.success ? progress.data : null,
    failedReason: job.failedReason,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

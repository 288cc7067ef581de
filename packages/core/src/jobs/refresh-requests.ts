/**
 * On-demand refreshes asked for from the console: the caller has checked the user's role in the
 * project; these check that the server belongs to the project, so a job is never queued (or its
 * progress shown) across tenants.
 */
import { getServerOrThrow, type Database } from "@switchyard/db";
import { notFound } from "@switchyard/shared";
import type { EnqueuedJob, JobInfo, JobQueues } from "./job-queues";

export async function requestServerRefresh(deps: { db: Database; queues: JobQueues }, projectId: string, serverId: string): Promise<EnqueuedJob> {
  await getServerOrThrow(deps.db, projectId, serverId);
  return deps.queues.enqueueServerRefresh(projectId, serverId, "manual");
}

export async function requestProjectRefresh(deps: { queues: JobQueues }, projectId: string): Promise<EnqueuedJob> {
  return deps.queues.enqueueProjectRefresh(projectId, "manual");
}

/** State and progress of a project's refresh job; another project's job is not found. */
export async function getRefreshJobOrThrow(deps: { queues: JobQueues }, projectId: string, jobId: string): Promise<JobInfo> {
  const job = await deps.queues.getProjectJob(projectId, jobId);
  if (!job) throw notFound("job");
  return job;
}

"use client";

import { useQueries, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { toast } from "sonner";
import { fetchJson } from "@/lib/action-client";
import { useRefreshStore, type TrackedJob } from "@/lib/stores/refresh-store";
import type { JobView } from "@/server/job-view";

const EMPTY: TrackedJob[] = [];

/**
 * Polls the refresh jobs started from this browser for a project until they finish, then
 * refetches the cached server list. Returns the live view of each job.
 */
export function useRefreshJobs(projectId: string, onFinished?: () => void) {
  const jobs = useRefreshStore((s) => s.jobs[projectId] ?? EMPTY);
  const untrack = useRefreshStore((s) => s.untrack);
  const client = useQueryClient();
  const results = useQueries({
    queries: jobs.map((job) => ({
      queryKey: ["refresh-job", projectId, job.jobId],
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchJson<JobView>(`/api/projects/${projectId}/jobs/${job.jobId}`, signal),
      refetchInterval: (q: { state: { data?: JobView } }) => (q.state.data?.finished ? false : 1000),
    })),
  });
  const seen = useRef(new Set<string>());
  useEffect(() => {
    results.forEach((r, i) => {
      const job = jobs[i];
      if (!job || !r.data?.finished || seen.current.has(job.jobId)) return;
      seen.current.add(job.jobId);
      const p = r.data.progress;
      if (r.data.state === "failed") toast.error(`Refresh failed: ${r.data.failedReason ?? "unknown error"}`);
      else if (p) toast.success(`Checked ${p.done} server${p.done === 1 ? "" : "s"}: ${p.online ?? 0} online${p.offline || p.error ? `, ${(p.offline ?? 0) + (p.error ?? 0)} down` : ""}`);
      untrack(projectId, job.jobId);
      void client.invalidateQueries({ queryKey: ["servers", projectId] });
      onFinished?.();
    });
  }, [results, jobs, projectId, untrack, client, onFinished]);
  // A job the console could not read (expired, or the queue is down) stops being tracked after a while.
  useEffect(() => {
    results.forEach((r, i) => {
      const job = jobs[i];
      if (job && r.isError && Date.now() - job.startedAt > 60_000) untrack(projectId, job.jobId);
    });
  }, [results, jobs, projectId, untrack]);
  return jobs.map((job, i) => ({ job, view: results[i]?.data, error: results[i]?.error ?? null }));
}

"use client";

import { create } from "zustand";

/**
 * Refresh jobs started from this browser, by project: kept across page changes so the servers
 * list and a server's page both show the progress of a job started on the other.
 */
export interface TrackedJob {
  jobId: string;
  /** Null for a whole-project refresh. */
  serverId: string | null;
  startedAt: number;
}

interface RefreshState {
  jobs: Record<string, TrackedJob[]>;
  track: (projectId: string, job: TrackedJob) => void;
  untrack: (projectId: string, jobId: string) => void;
}

export const useRefreshStore = create<RefreshState>()((set) => ({
  jobs: {},
  track: (projectId, job) => set((s) => ({ jobs: { ...s.jobs, [projectId]: [...(s.jobs[projectId] ?? []), job] } })),
  untrack: (projectId, jobId) => set((s) => ({ jobs: { ...s.jobs, [projectId]: (s.jobs[projectId] ?? []).filter((j) => j.jobId !== jobId) } })),
}));

"use client";

import { LoaderIcon } from "lucide-react";
import type { JobView } from "@/server/job-view";

/** A running refresh: which state it is in and how many servers are done. */
export function RefreshProgress({ view, label, error }: { view: JobView | undefined; label: string; error: Error | null }) {
  const p = view?.progress;
  const pct = p && p.total ? Math.round((p.done / p.total) * 100) : 0;
  const state = !view ? "Queued" : view.state === "waiting" || view.state === "delayed" || view.state === "prioritized" ? "Waiting for a worker" : view.state === "active" ? "Checking" : "Finishing";
  return (
    <div className="rounded-lg border bg-brand/5 px-4 py-3 text-sm" role="status" data-testid="refresh-progress">
      <div className="flex items-center gap-2">
        <LoaderIcon className="size-4 animate-spin text-brand" />
        <span className="font-medium">{label}</span>
        <span className="text-muted-foreground">
          {error ? `progress unavailable: ${error.message}` : `${state}${p ? ` · ${p.done} of ${p.total} servers` : ""}`}
        </span>
      </div>
      <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-muted">
        <div className="h-full rounded-full bg-brand transition-all" style={{ width: `${p ? pct : 5}%` }} />
      </div>
    </div>
  );
}

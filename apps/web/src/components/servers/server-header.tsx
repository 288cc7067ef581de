"use client";

import { roleAtLeast, type TeamRole } from "@switchyard/shared";
import { RefreshCwIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Switch } from "@/components/ui/switch";
import { useAction } from "@/lib/action-client";
import { useRefreshStore } from "@/lib/stores/refresh-store";
import { refreshServer, setServerEnabled } from "@/server/actions/servers";
import type { ServerView } from "@/server/views";
import { RefreshProgress } from "./refresh-progress";
import { TRANSPORT_LABEL } from "./servers-table";
import { useRefreshJobs } from "./use-refresh-jobs";

export type ServerHeaderData = Pick<ServerView, "id" | "name" | "transport" | "enabled" | "status" | "statusCheckedAt">;

export function ServerHeader({ projectId, role, server }: { projectId: string; role: TeamRole; server: ServerHeaderData }) {
  const router = useRouter();
  const track = useRefreshStore((s) => s.track);
  const onFinished = useCallback(() => router.refresh(), [router]);
  const jobs = useRefreshJobs(projectId, onFinished);
  const refresh = useAction(refreshServer, { refresh: false, onSuccess: (job) => track(projectId, { jobId: job.id, serverId: server.id, startedAt: Date.now() }) });
  const toggle = useAction(setServerEnabled, { success: (s) => (s.enabled ? "Server enabled" : "Server disabled") });
  const dev = roleAtLeast(role, "developer");
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-xl font-semibold tracking-tight">{server.name}</h1>
        <StatusBadge status={server.status} enabled={server.enabled} />
        <Badge variant="outline">{TRANSPORT_LABEL[server.transport]}</Badge>
        <span className="text-sm text-muted-foreground">
          checked <TimeAgo date={server.statusCheckedAt} fallback="never" />
        </span>
        <div className="ml-auto flex items-center gap-3">
          {dev ? (
            <>
              <label className="flex items-center gap-2 text-sm">
                <Switch checked={server.enabled} disabled={toggle.isPending} onCheckedChange={(enabled) => toggle.mutate({ projectId, serverId: server.id, enabled })} aria-label="Enabled" />
                Enabled
              </label>
              <Button variant="outline" size="sm" disabled={!server.enabled || refresh.isPending} onClick={() => refresh.mutate({ projectId, serverId: server.id })} data-testid="refresh-server">
                <RefreshCwIcon className={refresh.isPending ? "animate-spin" : undefined} />
                Refresh
              </Button>
            </>
          ) : null}
        </div>
      </div>
      {jobs.map(({ job, view, error }) => (
        <RefreshProgress key={job.jobId} view={view} error={error} label={job.serverId === server.id ? `Refreshing ${server.name}` : "Refreshing servers"} />
      ))}
    </div>
  );
}

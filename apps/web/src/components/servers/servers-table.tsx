"use client";

import { useQuery } from "@tanstack/react-query";
import { roleAtLeast, type TeamRole } from "@switchyard/shared";
import { PlusIcon, RefreshCwIcon, ServerIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { ConfirmMenuItem, RowActionsMenu } from "@/components/row-actions";
import { EmptyState, ErrorState } from "@/components/states";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import { Switch } from "@/components/ui/switch";
import { TableCard } from "@/components/table-card";
import { TableCell, TableHead, TableRow } from "@/components/ui/table";
import { Tooltip } from "@/components/ui/tooltip";
import { fetchJson, useAction } from "@/lib/action-client";
import { formatDuration } from "@/lib/format";
import { useRefreshStore } from "@/lib/stores/refresh-store";
import { deleteServer, refreshProject, refreshServer, setServerEnabled } from "@/server/actions/servers";
import type { ServerList } from "@/server/server-list";
import { RefreshProgress } from "./refresh-progress";
import { useRefreshJobs } from "./use-refresh-jobs";

export const TRANSPORT_LABEL = { stdio: "stdio", sse: "SSE", streamable_http: "Streamable HTTP" } as const;

/** The cache is keyed by the server render's `readAt`, so a newer render always wins over older polled data. */
export function ServersTable({ projectId, base, role, initial }: { projectId: string; base: string; role: TeamRole; initial: ServerList }) {
  const router = useRouter();
  const track = useRefreshStore((s) => s.track);
  const onFinished = useCallback(() => router.refresh(), [router]);
  const jobs = useRefreshJobs(projectId, onFinished);
  const servers = useQuery({
    queryKey: ["servers", projectId, initial.readAt],
    queryFn: ({ signal }) => fetchJson<ServerList>(`/api/projects/${projectId}/servers`, signal).then((r) => r.servers),
    initialData: initial.servers,
    refetchInterval: jobs.length ? 1500 : 30_000,
  });
  const refreshAll = useAction(refreshProject, { refresh: false, onSuccess: (job) => track(projectId, { jobId: job.id, serverId: null, startedAt: Date.now() }) });
  const refreshOne = useAction(refreshServer, { refresh: false, onSuccess: (job) => track(projectId, { jobId: job.id, serverId: null, startedAt: Date.now() }) });
  const toggle = useAction(setServerEnabled, { success: (s) => (s.enabled ? "Server enabled" : "Server disabled"), onSuccess: () => void servers.refetch() });
  const remove = useAction(deleteServer, { success: (s) => `Server ${s.name} deleted`, onSuccess: () => void servers.refetch() });
  const dev = roleAtLeast(role, "developer");
  const list = servers.data;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-end gap-2">
        {dev ? (
          <>
            <Button variant="outline" disabled={refreshAll.isPending || list.length === 0} onClick={() => refreshAll.mutate({ projectId })} data-testid="refresh-all">
              <RefreshCwIcon className={refreshAll.isPending ? "animate-spin" : undefined} />
              Refresh all
            </Button>
            <Button asChild>
              <Link href={`${base}/servers/new`}>
                <PlusIcon />
                Add server
              </Link>
            </Button>
          </>
        ) : null}
      </div>
      {jobs.map(({ job, view, error }) => (
        <RefreshProgress key={job.jobId} view={view} error={error} label={job.serverId ? "Refreshing server" : "Refreshing servers"} />
      ))}
      {servers.isError && list.length === 0 ? (
        <ErrorState message={servers.error.message} action={<Button variant="outline" onClick={() => void servers.refetch()}>Retry</Button>} />
      ) : list.length === 0 ? (
        <EmptyState
          icon={ServerIcon}
          title="No servers in this project"
          description="Register a stdio command, an SSE or a Streamable HTTP server, or paste an mcpServers JSON from Claude Desktop or Cursor."
          action={
            dev ? (
              <Button asChild>
                <Link href={`${base}/servers/new`}>Add server</Link>
              </Button>
            ) : undefined
          }
        />
      ) : (
        <TableCard
          head={
            <>
              <TableHead>Server</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Transport</TableHead>
              <TableHead className="text-right">Tools</TableHead>
              <TableHead className="text-right">Latency</TableHead>
              <TableHead>Last checked</TableHead>
              <TableHead>Enabled</TableHead>
              <TableHead className="w-10" />
            </>
          }
        >
          {list.map((s) => (
            <TableRow key={s.id} data-testid="server-row" data-server={s.name} data-status={s.enabled ? s.status : "disabled"}>
              <TableCell className="max-w-72">
                <Link href={`${base}/servers/${s.name}`} className="font-medium hover:underline">
                  {s.name}
                </Link>
                <p className="truncate font-mono text-xs text-muted-foreground" title={s.target}>
                  {s.target}
                </p>
              </TableCell>
              <TableCell>
                {s.statusError && s.enabled && s.status !== "online" ? (
                  <Tooltip content={s.statusError}>
                    <span>
                      <StatusBadge status={s.status} enabled={s.enabled} />
                    </span>
                  </Tooltip>
                ) : (
                  <StatusBadge status={s.status} enabled={s.enabled} />
                )}
              </TableCell>
              <TableCell className="text-muted-foreground">{TRANSPORT_LABEL[s.transport]}</TableCell>
              <TableCell className="text-right tabular-nums">
                <span data-testid="tools-count">{s.toolsCount ?? "—"}</span>
                {s.heldTools ? (
                  <Badge variant="warning" className="ml-2">
                    {s.heldTools} held
                  </Badge>
                ) : null}
              </TableCell>
              <TableCell className="text-right text-muted-foreground tabular-nums">{formatDuration(s.status === "online" || s.status === "degraded" ? s.statusLatencyMs : null)}</TableCell>
              <TableCell className="text-muted-foreground">
                <TimeAgo date={s.statusCheckedAt} fallback="not yet" />
              </TableCell>
              <TableCell>
                <Switch checked={s.enabled} disabled={!dev || toggle.isPending} onCheckedChange={(enabled) => toggle.mutate({ projectId, serverId: s.id, enabled })} aria-label={`Enable ${s.name}`} />
              </TableCell>
              <TableCell>
                {dev ? (
                  <RowActionsMenu name={s.name}>
                    <DropdownMenuItem disabled={!s.enabled} onSelect={() => refreshOne.mutate({ projectId, serverId: s.id })}>
                      <RefreshCwIcon />
                      Refresh now
                    </DropdownMenuItem>
                    <DropdownMenuItem asChild>
                      <Link href={`${base}/servers/${s.name}/settings`}>Edit settings</Link>
                    </DropdownMenuItem>
                    <ConfirmMenuItem
                      icon={<Trash2Icon />}
                      label="Delete"
                      title={`Delete ${s.name}?`}
                      description="Clients lose its tools at once. Its call logs stay until retention removes them."
                      confirmText={s.name}
                      action={remove}
                      input={{ projectId, serverId: s.id }}
                    />
                  </RowActionsMenu>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableCard>
      )}
    </div>
  );
}

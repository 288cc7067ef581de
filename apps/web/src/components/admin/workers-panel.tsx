"use client";

import { useQuery } from "@tanstack/react-query";
import { PauseIcon, PlayIcon, ZapIcon } from "lucide-react";
import { useState } from "react";
import { ErrorState, TableSkeleton } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fetchJson, useAction } from "@/lib/action-client";
import { formatDuration } from "@/lib/format";
import { pauseJob, resumeJob, runJobNow, setJobInterval } from "@/server/actions/admin";
import type { JobStatusView, WorkerRunView, WorkerStatusView } from "@/server/worker-view";

interface WorkersResponse {
  status: WorkerStatusView;
  runs: WorkerRunView[];
  nextCursor: string | null;
}

const RUN_VARIANT = { running: "info", success: "success", failed: "destructive" } as const;

function JobCard({ job, onChanged }: { job: JobStatusView; onChanged: () => void }) {
  const [minutes, setMinutes] = useState(String(job.intervalMinutes));
  const opts = { refresh: false, onSuccess: onChanged };
  const pause = useAction(pauseJob, { ...opts, success: "Paused" });
  const resume = useAction(resumeJob, { ...opts, success: "Resumed; a run starts now" });
  const interval = useAction(setJobInterval, { ...opts, success: "Interval saved" });
  const run = useAction(runJobNow, { ...opts, success: "Run queued" });
  const fixed = job.minIntervalMinutes === job.maxIntervalMinutes;
  return (
    <Card data-testid="worker-job" data-job={job.jobName}>
      <CardHeader>
        <div className="flex items-center gap-2">
          <CardTitle className="font-mono">{job.jobName}</CardTitle>
          <Badge variant={job.state === "running" ? "success" : "warning"}>{job.state === "running" ? "scheduled" : "paused"}</Badge>
        </div>
        <CardDescription>{job.description}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <div className="grid grid-cols-2 gap-2">
          <span className="text-muted-foreground">Next run</span>
          <span>{job.nextRunAt ? <TimeAgo date={job.nextRunAt} /> : "—"}</span>
          <span className="text-muted-foreground">Last run</span>
          <span>
            {job.lastRun ? (
              <>
                <Badge variant={RUN_VARIANT[job.lastRun.status]}>{job.lastRun.status}</Badge> <TimeAgo date={job.lastRun.startedAt} />
              </>
            ) : (
              "never"
            )}
          </span>
        </div>
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            interval.mutate({ jobName: job.jobName, minutes: Number(minutes) });
          }}
        >
          <label className="grid flex-1 gap-1">
            <span className="text-xs text-muted-foreground">{fixed ? `Interval (fixed at ${job.minIntervalMinutes} min)` : `Interval, minutes (${job.minIntervalMinutes}–${job.maxIntervalMinutes})`}</span>
            <Input type="number" min={job.minIntervalMinutes} max={job.maxIntervalMinutes} value={minutes} onChange={(e) => setMinutes(e.target.value)} disabled={fixed} />
          </label>
          {!fixed ? (
            <Button type="submit" variant="outline" disabled={interval.isPending || Number(minutes) === job.intervalMinutes}>
              Save
            </Button>
          ) : null}
        </form>
      </CardContent>
      <CardFooter className="gap-2">
        {job.state === "running" ? (
          <Button variant="outline" size="sm" disabled={pause.isPending} onClick={() => pause.mutate({ jobName: job.jobName })}>
            <PauseIcon />
            Pause
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled={resume.isPending} onClick={() => resume.mutate({ jobName: job.jobName })}>
            <PlayIcon />
            Resume
          </Button>
        )}
        <Button size="sm" disabled={run.isPending} onClick={() => run.mutate({ jobName: job.jobName })}>
          <ZapIcon />
          Run now
        </Button>
      </CardFooter>
    </Card>
  );
}

export function WorkersPanel() {
  const [before, setBefore] = useState<string[]>([]);
  const cursor = before.at(-1);
  const query = useQuery({
    queryKey: ["admin-workers", cursor ?? null],
    queryFn: ({ signal }) => fetchJson<WorkersResponse>(`/api/admin/workers${cursor ? `?before=${encodeURIComponent(cursor)}` : ""}`, signal),
    refetchInterval: 3000,
  });
  if (query.isPending) return <TableSkeleton rows={4} />;
  if (query.isError)
    return (
      <ErrorState
        title="Could not read the worker's state"
        message={`${query.error.message}. The queue backend may be unreachable.`}
        action={
          <Button variant="outline" onClick={() => void query.refetch()}>
            Retry
          </Button>
        }
      />
    );
  const { status, runs, nextCursor } = query.data;
  return (
    <div className="grid gap-6">
      <div className="grid gap-4 md:grid-cols-2">
        {status.jobs.map((j) => (
          <JobCard key={j.jobName} job={j} onChanged={() => void query.refetch()} />
        ))}
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Queues</CardTitle>
          <CardDescription>Backend: {status.backend === "redis" ? "BullMQ on Redis" : "BullMQ on Postgres"}</CardDescription>
        </CardHeader>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Queue</TableHead>
                <TableHead className="text-right">Workers</TableHead>
                <TableHead className="text-right">Waiting</TableHead>
                <TableHead className="text-right">Active</TableHead>
                <TableHead className="text-right">Delayed</TableHead>
                <TableHead className="text-right">Completed</TableHead>
                <TableHead className="text-right">Failed</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {status.queues.map((q) => (
                <TableRow key={q.name}>
                  <TableCell className="font-mono text-xs">{q.name}</TableCell>
                  <TableCell className="text-right tabular-nums">{q.workers === 0 ? <Badge variant="destructive">none</Badge> : q.workers}</TableCell>
                  <TableCell className="text-right tabular-nums">{q.waiting}</TableCell>
                  <TableCell className="text-right tabular-nums">{q.active}</TableCell>
                  <TableCell className="text-right tabular-nums">{q.delayed}</TableCell>
                  <TableCell className="text-right tabular-nums">{q.completed}</TableCell>
                  <TableCell className="text-right tabular-nums">{q.failed}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Run history</CardTitle>
        </CardHeader>
        <CardContent>
          {runs.length === 0 ? (
            <p className="py-6 text-center text-sm text-muted-foreground">No runs recorded yet.</p>
          ) : (
            <Table data-testid="worker-runs">
              <TableHeader>
                <TableRow>
                  <TableHead>Job</TableHead>
                  <TableHead>Trigger</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Started</TableHead>
                  <TableHead className="text-right">Duration</TableHead>
                  <TableHead className="text-right">Checked</TableHead>
                  <TableHead className="text-right">Online</TableHead>
                  <TableHead className="text-right">Offline</TableHead>
                  <TableHead>Errors</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {runs.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell className="font-mono text-xs">{r.jobName}</TableCell>
                    <TableCell>{r.trigger}</TableCell>
                    <TableCell>
                      <Badge variant={RUN_VARIANT[r.status]}>{r.status}</Badge>
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      <TimeAgo date={r.startedAt} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatDuration(r.durationMs)}</TableCell>
                    <TableCell className="text-right tabular-nums">{r.serversChecked}</TableCell>
                    <TableCell className="text-right tabular-nums">{r.serversOnline}</TableCell>
                    <TableCell className="text-right tabular-nums">{r.serversOffline}</TableCell>
                    <TableCell className="max-w-64 truncate text-xs text-destructive" title={r.errors.map((e) => e.message).join("\n")}>
                      {r.errors.length ? `${r.errors.length}: ${r.errors[0]?.message ?? ""}` : ""}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <div className="mt-3 flex justify-end gap-2">
            {before.length > 0 ? (
              <Button variant="outline" size="sm" onClick={() => setBefore(before.slice(0, -1))}>
                Newer
              </Button>
            ) : null}
            {nextCursor ? (
              <Button variant="outline" size="sm" onClick={() => setBefore([...before, nextCursor])}>
                Older
              </Button>
            ) : null}
          </div>
        </CardContent>
      </Card>
    </div>
  );
}

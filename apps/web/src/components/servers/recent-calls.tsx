"use client";

import type { ToolCallStatus } from "@switchyard/shared";
import { ChevronRightIcon } from "lucide-react";
import { Fragment, useState } from "react";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDuration } from "@/lib/format";

export interface RecentCallView {
  id: string;
  tool: string;
  status: ToolCallStatus;
  error: string | null;
  durationMs: number;
  at: string;
  client: string;
  /** Present only for roles allowed to see raw payloads. */
  input?: unknown;
  output?: unknown;
}

const VARIANT: Record<ToolCallStatus, "success" | "destructive" | "warning" | "secondary"> = {
  success: "success",
  error: "destructive",
  timeout: "warning",
  cancelled: "secondary",
  rejected: "warning",
};

export function RecentCalls({ calls, showPayloads }: { calls: RecentCallView[]; showPayloads: boolean }) {
  const [open, setOpen] = useState<string | null>(null);
  if (calls.length === 0) return <p className="py-6 text-center text-sm text-muted-foreground">No calls to this server in the last 7 days.</p>;
  return (
    <Table data-testid="recent-calls">
      <TableHeader>
        <TableRow>
          {showPayloads ? <TableHead className="w-6" /> : null}
          <TableHead>Tool</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Client</TableHead>
          <TableHead className="text-right">Duration</TableHead>
          <TableHead>When</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {calls.map((c) => (
          <Fragment key={c.id}>
            <TableRow className={showPayloads ? "cursor-pointer" : undefined} onClick={showPayloads ? () => setOpen(open === c.id ? null : c.id) : undefined}>
              {showPayloads ? (
                <TableCell>
                  <ChevronRightIcon className={`size-4 transition-transform ${open === c.id ? "rotate-90" : ""}`} />
                </TableCell>
              ) : null}
              <TableCell className="font-mono text-xs">{c.tool}</TableCell>
              <TableCell>
                <Badge variant={VARIANT[c.status]}>{c.status}</Badge>
              </TableCell>
              <TableCell className="text-muted-foreground">{c.client}</TableCell>
              <TableCell className="text-right tabular-nums">{formatDuration(c.durationMs)}</TableCell>
              <TableCell className="text-muted-foreground">
                <TimeAgo date={c.at} />
              </TableCell>
            </TableRow>
            {showPayloads && open === c.id ? (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={6} className="bg-muted/30">
                  {c.error ? <p className="mb-2 text-xs text-destructive">{c.error}</p> : null}
                  <div className="grid gap-3 md:grid-cols-2">
                    <div>
                      <p className="mb-1 text-xs font-medium text-muted-foreground">Input</p>
                      <pre className="max-h-64 overflow-auto rounded-md border bg-background p-2 text-xs">{JSON.stringify(c.input, null, 2) ?? "—"}</pre>
                    </div>
                    <div>
                      <p className="mb-1 text-xs font-medium text-muted-foreground">Output</p>
                      <pre className="max-h-64 overflow-auto rounded-md border bg-background p-2 text-xs">{JSON.stringify(c.output, null, 2) ?? "—"}</pre>
                    </div>
                  </div>
                </TableCell>
              </TableRow>
            ) : null}
          </Fragment>
        ))}
      </TableBody>
    </Table>
  );
}

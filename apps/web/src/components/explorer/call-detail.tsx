"use client";

import { useQuery } from "@tanstack/react-query";
import { XIcon } from "lucide-react";
import Link from "next/link";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { absoluteTime, formatDuration } from "@/lib/format";
import { getJson, type CallResult, type CallRow } from "./explorer-api";

function Json({ value, truncated }: { value: unknown; truncated: boolean }) {
  if (value === undefined) return <p className="text-muted-foreground text-xs">Payloads are shown to developers and above.</p>;
  if (value === null) return <p className="text-muted-foreground text-xs">none recorded</p>;
  return (
    <pre className="bg-muted max-h-72 overflow-auto rounded p-2 text-xs">
      {JSON.stringify(value, null, 2)}
      {truncated ? "\n… truncated when logged" : ""}
    </pre>
  );
}

function ContextRow({ row, current, onOpen }: { row: CallRow; current?: boolean; onOpen: (key: string) => void }) {
  return (
    <li>
      <button type="button" className={`w-full truncate rounded px-1 text-left font-mono text-xs ${current ? "bg-accent" : "hover:bg-muted"}`} onClick={() => onOpen(row.key)}>
        {new Date(row.startedAt).toLocaleTimeString(undefined, { hour12: false })} {row.status} {row.serverName}/{row.toolName}
      </button>
    </li>
  );
}

/** One call: timing, client, key, error, pretty input/output, and the session's calls around it. */
export function CallDetailPanel({ teamId, callKey, sessionHref, onClose, onOpen }: { teamId: string; callKey: string; sessionHref: (id: string) => string | null; onClose: () => void; onOpen: (key: string) => void }) {
  const q = useQuery({ queryKey: ["log-call", teamId, callKey], queryFn: ({ signal }) => getJson<CallResult>(`/api/teams/${teamId}/logs/calls/${encodeURIComponent(callKey)}`, signal) });
  const c = q.data?.call;
  const session = c?.sessionId ? sessionHref(c.sessionId) : null;
  return (
    <section data-testid="call-detail" className="space-y-3 rounded-md border p-3 text-sm">
      <div className="flex items-center gap-2">
        <h2 className="min-w-0 flex-1 truncate font-mono font-medium">{c ? `${c.serverName} / ${c.toolName}` : "Call"}</h2>
        <Button size="icon" variant="ghost" aria-label="Close" onClick={onClose}>
          <XIcon className="size-4" />
        </Button>
      </div>
      {q.error ? <ErrorState message={q.error.message} /> : null}
      {c ? (
        <>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            <dt className="text-muted-foreground">Status</dt>
            <dd>
              {c.status}
              {c.errorCode !== null ? ` (${c.errorCode})` : ""}
            </dd>
            <dt className="text-muted-foreground">Started</dt>
            <dd>{absoluteTime(c.startedAt)}</dd>
            <dt className="text-muted-foreground">Duration</dt>
            <dd>{formatDuration(c.durationMs)}</dd>
            <dt className="text-muted-foreground">Method</dt>
            <dd className="font-mono">{c.method}</dd>
            <dt className="text-muted-foreground">Client</dt>
            <dd>{c.clientType}</dd>
            <dt className="text-muted-foreground">API key</dt>
            <dd>{c.keyName ?? (c.userId ? "console try-it" : "—")}</dd>
            <dt className="text-muted-foreground">Session</dt>
            <dd className="font-mono">{session ? <Link className="underline" href={session}>{c.sessionId}</Link> : (c.sessionId ?? "—")}</dd>
            <dt className="text-muted-foreground">Request id</dt>
            <dd className="font-mono">{c.requestId ?? "—"}</dd>
          </dl>
          {c.errorMessage ? <p className="rounded bg-red-50 p-2 font-mono text-xs text-red-700 dark:bg-red-950 dark:text-red-300">{c.errorMessage}</p> : null}
          <div>
            <h3 className="mb-1 text-xs font-medium">Input</h3>
            <Json value={c.input} truncated={c.inputTruncated} />
          </div>
          <div>
            <h3 className="mb-1 text-xs font-medium">Output</h3>
            <Json value={c.output} truncated={c.outputTruncated} />
          </div>
          {q.data && (q.data.context.before.length || q.data.context.after.length) ? (
            <div data-testid="call-context">
              <h3 className="mb-1 text-xs font-medium">In context (same session)</h3>
              <ul>
                {q.data.context.before.map((r) => <ContextRow key={r.key} row={r} onOpen={onOpen} />)}
                <ContextRow row={c} current onOpen={onOpen} />
                {q.data.context.after.map((r) => <ContextRow key={r.key} row={r} onOpen={onOpen} />)}
              </ul>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { LOG_RANGE_NAMES } from "@switchyard/shared";
import { DownloadIcon, PauseIcon, PlayIcon } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { formatDuration, formatNumber, formatPercent } from "@/lib/format";
import { cn } from "@/lib/utils";
import { CallDetailPanel } from "./call-detail";
import { CallList } from "./call-list";
import { ExplorerError, getJson, type CallRow, type FacetsResult, type HistogramResult, type ListPage, type MetricsResult } from "./explorer-api";
import { FacetSidebar } from "./facet-sidebar";
import { Histogram } from "./histogram";
import { QueryBar } from "./query-bar";
import { SavedViews, type SavedViewItem } from "./saved-views";
import { apiParams, useExplorerState } from "./use-explorer-state";

const GROUPS = ["status", "server", "tool", "client", "method", "key"] as const;
const TAIL_MS = 1500;
/** Live tail re-reads this far back: rows are written in batches, so a call can land slightly out of order. */
const TAIL_OVERLAP_MS = 15_000;
const NO_ROWS: CallRow[] = [];

export interface ExplorerProps {
  teamId: string;
  /** Absent for the team-wide explorer. */
  projectId?: string;
  /** Link to a session page, when sessions of this scope have one. */
  sessionPath?: string;
  views?: SavedViewItem[];
  canSaveViews?: boolean;
}

/** The log explorer: query, time range, histogram, metrics, facets, a virtual list, detail, live tail. */
export function Explorer({ teamId, projectId, sessionPath, views, canSaveViews }: ExplorerProps) {
  const [state, set] = useExplorerState();
  const base = `/api/teams/${teamId}/logs`;
  const scope = useMemo((): Record<string, string> => (projectId ? { projectId } : {}), [projectId]);
  const params = (extra: Record<string, string> = {}) => apiParams(state, { ...scope, ...extra }).toString();
  const key = [teamId, projectId ?? null, state.q, state.range, state.from, state.to] as const;
  const queryRef = useRef<HTMLInputElement>(null);

  const list = useInfiniteQuery({
    queryKey: ["logs", ...key],
    initialPageParam: null as string | null,
    // A small first page paints fast; later pages are larger so scrolling deep takes fewer round trips.
    queryFn: ({ pageParam, signal }) => getJson<ListPage>(`${base}?${params(pageParam ? { limit: "500", before: pageParam } : { limit: "100" })}`, signal),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const facets = useQuery({ queryKey: ["facets", ...key], queryFn: ({ signal }) => getJson<FacetsResult>(`${base}/facets?${params()}`, signal), placeholderData: keepPreviousData });
  const histogram = useQuery({ queryKey: ["histogram", ...key, state.group], queryFn: ({ signal }) => getJson<HistogramResult>(`${base}/histogram?${params({ group: state.group })}`, signal), placeholderData: keepPreviousData });
  const metrics = useQuery({ queryKey: ["metrics", ...key], queryFn: ({ signal }) => getJson<MetricsResult>(`${base}/metrics?${params()}`, signal), placeholderData: keepPreviousData });

  // Live tail: re-read the calls newer than the newest shown (minus an overlap) every 1.5 s and
  // merge them at the top by id; the list's own pages stay as they are. Tail rows belong to the list
  // read they arrived on (`listAt`): a newer read of the list already holds them.
  const [tailed, setTailed] = useState<{ listAt: number; rows: CallRow[] }>({ listAt: 0, rows: [] });
  const tailRows = tailed.listAt === list.dataUpdatedAt ? tailed.rows : NO_ROWS;
  const pageRows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const rows = useMemo(() => {
    if (!tailRows.length) return pageRows;
    const seen = new Set(pageRows.map((r) => r.id));
    return [...tailRows.filter((r) => !seen.has(r.id)), ...pageRows];
  }, [tailRows, pageRows]);
  const newest = rows[0]?.startedAt ?? null;
  const tailing = state.tail && !state.from;
  // The tail query's pages are merged into `tailed` as they arrive; its result is not read otherwise.
  useQuery({
    queryKey: ["logs-tail", teamId, projectId ?? null, state.q, tailing],
    enabled: tailing,
    refetchInterval: TAIL_MS,
    staleTime: 0,
    queryFn: async ({ signal }) => {
      const listAt = list.dataUpdatedAt;
      const since = (newest ? new Date(newest).getTime() : Date.now() - 60_000) - TAIL_OVERLAP_MS;
      const sp = new URLSearchParams({ q: state.q, from: new Date(since).toISOString(), to: new Date(Date.now() + 1000).toISOString(), limit: "200", ...scope });
      const page = await getJson<ListPage>(`${base}?${sp.toString()}`, signal);
      setTailed((prev) => {
        const kept = prev.listAt === listAt ? prev.rows : NO_ROWS;
        const known = new Set([...kept, ...pageRows].map((r) => r.id));
        const fresh = page.items.filter((r) => !known.has(r.id));
        return fresh.length || kept !== prev.rows ? { listAt, rows: [...fresh, ...kept].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id)) } : prev;
      });
      return page;
    },
  });
  // How many rows the tail has put above the list so far: the list keeps the reader's place by it.
  const prepended = rows.length - pageRows.length;

  const [selected, setSelected] = useState(-1);
  const open = useCallback((i: number) => set({ call: rows[i]?.key ?? null }), [rows, set]);
  const addTerm = (term: string) => set({ q: state.q ? `${state.q} ${term}` : term, call: null });

  // Keyboard: / focuses the query, j/k move, Enter opens, Escape closes.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
      if (e.key === "/") {
        e.preventDefault();
        queryRef.current?.focus();
      } else if (e.key === "j") setSelected((s) => Math.min(rows.length - 1, s + 1));
      else if (e.key === "k") setSelected((s) => Math.max(0, s - 1));
      else if (e.key === "Enter" && selected >= 0) open(selected);
      else if (e.key === "Escape") set({ call: null });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows.length, selected, open, set]);

  const queryError = [list.error, facets.error].find((e): e is ExplorerError => e instanceof ExplorerError && e.status === 400) ?? null;
  const otherError = [list.error, facets.error, histogram.error, metrics.error].find((e) => e && !(e instanceof ExplorerError && e.status === 400));
  const m = metrics.data;
  const exportHref = (format: "csv" | "ndjson") => `${base}/export?${params({ format })}`;

  return (
    <div className="space-y-3" data-testid="explorer">
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-[20rem] flex-1">
          <QueryBar ref={queryRef} value={state.q} facets={facets.data?.facets} error={queryError ? { message: queryError.message, ...queryError.details } : null} onSubmit={(q) => set({ q, call: null })} />
        </div>
        <div className="flex items-center gap-1" role="group" aria-label="Time range">
          {LOG_RANGE_NAMES.map((r) => (
            <Button key={r} size="sm" variant={!state.from && state.range === r ? "default" : "outline"} onClick={() => set({ range: r, from: null, to: null })}>
              {r}
            </Button>
          ))}
          <CustomRange from={state.from} to={state.to} onApply={(from, to) => set({ from, to, tail: false })} />
        </div>
        <Button size="sm" variant={state.tail ? "default" : "outline"} disabled={Boolean(state.from)} data-testid="live-tail" onClick={() => set({ tail: !state.tail })}>
          {state.tail ? <PauseIcon className="size-4" /> : <PlayIcon className="size-4" />} Live tail
        </Button>
        <Button size="sm" variant="outline" asChild>
          <a href={exportHref("csv")} download>
            <DownloadIcon className="size-4" /> CSV
          </a>
        </Button>
        <Button size="sm" variant="outline" asChild>
          <a href={exportHref("ndjson")} download>
            <DownloadIcon className="size-4" /> NDJSON
          </a>
        </Button>
      </div>
      {projectId && views ? <SavedViews projectId={projectId} views={views} canSave={Boolean(canSaveViews)} /> : null}
      {otherError ? <ErrorState message={otherError.message} /> : null}
      <div className="grid grid-cols-2 gap-2 rounded-md border p-2 text-sm sm:grid-cols-5" data-testid="metrics">
        <Metric label="Calls" value={m ? formatNumber(m.count) : "…"} />
        <Metric label="Error rate" value={m ? formatPercent(m.errorRate) : "…"} />
        <Metric label={`p50${m?.approximate ? " ≤" : ""}`} value={m ? formatDuration(m.p50) : "…"} />
        <Metric label={`p95${m?.approximate ? " ≤" : ""}`} value={m ? formatDuration(m.p95) : "…"} />
        <Metric label={`p99${m?.approximate ? " ≤" : ""}`} value={m ? formatDuration(m.p99) : "…"} />
      </div>
      <div className="space-y-1 rounded-md border p-2">
        <div className="flex items-center gap-2 text-xs">
          <span className="text-muted-foreground">Group by</span>
          <Select value={state.group} onValueChange={(group) => set({ group })}>
            <SelectTrigger className="h-7 w-28 text-xs" aria-label="Group by">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {GROUPS.map((g) => (
                <SelectItem key={g} value={g}>
                  {g}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          {state.from ? (
            <Button size="sm" variant="ghost" className="h-7 text-xs" onClick={() => set({ from: null, to: null })}>
              Reset zoom
            </Button>
          ) : null}
        </div>
        {histogram.data ? <Histogram data={histogram.data} onZoom={(from, to) => set({ from: from.toISOString(), to: to.toISOString(), tail: false })} /> : <div className="h-28" />}
      </div>
      <div className="grid gap-3 lg:grid-cols-[14rem_1fr]">
        <FacetSidebar facets={facets.data} onAdd={addTerm} />
        <div className={cn("grid gap-3", state.call && "xl:grid-cols-[1fr_28rem]")}>
          <div className="min-w-0 space-y-1">
            <p className="text-muted-foreground text-xs" data-testid="list-status">
              {list.isPending ? "Loading…" : `${formatNumber(rows.length)}${list.hasNextPage ? "+" : ""} calls shown`} · j/k to move, Enter to open, / to search
            </p>
            <CallList
              rows={rows}
              selected={selected}
              onSelect={setSelected}
              onOpen={open}
              hasMore={Boolean(list.hasNextPage)}
              loadingMore={list.isFetchingNextPage}
              onLoadMore={() => void list.fetchNextPage()}
              prepended={prepended}
            />
          </div>
          {state.call ? (
            <CallDetailPanel teamId={teamId} callKey={state.call} sessionHref={(id) => (sessionPath ? `${sessionPath}/${id}` : null)} onClose={() => set({ call: null })} onOpen={(k) => set({ call: k })} />
          ) : null}
        </div>
      </div>
    </div>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <div className="text-muted-foreground text-xs">{label}</div>
      <div className="font-medium tabular-nums">{value}</div>
    </div>
  );
}

function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function CustomRange({ from, to, onApply }: { from: string | null; to: string | null; onApply: (from: string, to: string) => void }) {
  const [openForm, setOpenForm] = useState(false);
  const [a, setA] = useState(toLocalInput(from));
  const [b, setB] = useState(toLocalInput(to));
  if (!openForm) {
    return (
      <Button size="sm" variant={from ? "default" : "outline"} onClick={() => setOpenForm(true)}>
        {from && to ? `${new Date(from).toLocaleString()} – ${new Date(to).toLocaleString()}` : "Custom"}
      </Button>
    );
  }
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        if (a && b) onApply(new Date(a).toISOString(), new Date(b).toISOString());
        setOpenForm(false);
      }}
    >
      <Input type="datetime-local" aria-label="From" className="h-8 w-48 text-xs" value={a} onChange={(e) => setA(e.target.value)} />
      <Input type="datetime-local" aria-label="To" className="h-8 w-48 text-xs" value={b} onChange={(e) => setB(e.target.value)} />
      <Button size="sm" type="submit">
        Apply
      </Button>
    </form>
  );
}

"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef } from "react";
import { formatDuration } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { CallRow } from "./explorer-api";

export const ROW_HEIGHT = 32;

const STATUS_CLASS: Record<string, string> = {
  success: "text-green-600",
  error: "text-red-600",
  timeout: "text-orange-600",
  cancelled: "text-muted-foreground",
  rejected: "text-purple-600",
};

function time(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleDateString(undefined, { month: "short", day: "numeric" })} ${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

export interface CallListProps {
  rows: CallRow[];
  selected: number;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Rows live tail has added above the list's pages: when it grows, the scroll offset moves by as many rows. */
  prepended: number;
}

/**
 * Fixed-height virtual rows (only what is on screen is in the DOM); scrolling near the end loads
 * the next page. When live tail prepends rows while the user reads older ones, the offset moves by
 * their height so what the user reads stays put.
 */
export function CallList({ rows, selected, onSelect, onOpen, hasMore, loadingMore, onLoadMore, prepended }: CallListProps) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length + (hasMore ? 1 : 0), getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1);

  useEffect(() => {
    if (last && last.index >= rows.length - 1 && hasMore && !loadingMore) onLoadMore();
  }, [last, rows.length, hasMore, loadingMore, onLoadMore]);

  const seenPrepended = useRef(prepended);
  useLayoutEffect(() => {
    const el = parent.current;
    const added = prepended - seenPrepended.current;
    seenPrepended.current = prepended;
    if (el && added > 0 && el.scrollTop > 0) el.scrollTop += added * ROW_HEIGHT;
  }, [prepended]);

  useEffect(() => {
    if (selected >= 0) virtualizer.scrollToIndex(selected, { align: "auto" });
  }, [selected, virtualizer]);

  return (
    <div ref={parent} data-testid="call-list" className="h-[60vh] overflow-auto rounded-md border font-mono text-xs" tabIndex={-1}>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((v) => {
          const row = rows[v.index];
          return (
            <div
              key={row?.key ?? "more"}
              data-testid={row ? "call-row" : "call-more"}
              data-index={v.index}
              aria-selected={v.index === selected}
              className={cn("absolute left-0 flex w-full cursor-pointer items-center gap-3 border-b px-2", v.index === selected ? "bg-accent" : "hover:bg-muted/50")}
              style={{ top: v.start, height: ROW_HEIGHT }}
              onClick={() => (row ? (onSelect(v.index), onOpen(v.index)) : undefined)}
            >
              {row ? (
                <>
                  <span className="text-muted-foreground w-40 shrink-0">{time(row.startedAt)}</span>
                  <span className={cn("w-16 shrink-0", STATUS_CLASS[row.status])}>{row.status}</span>
                  <span className="w-28 shrink-0 truncate">{row.serverName}</span>
                  <span className="min-w-0 flex-1 truncate">
                    {row.method !== "tools/call" ? <span className="text-muted-foreground">{row.method} </span> : null}
                    {row.toolName}
                    {row.errorMessage ? <span className="text-red-600"> — {row.errorMessage}</span> : null}
                  </span>
                  <span className="w-20 shrink-0 truncate">{row.clientType}</span>
                  <span className="w-16 shrink-0 text-right tabular-nums">{formatDuration(row.durationMs)}</span>
                </>
              ) : (
                <span className="text-muted-foreground">{loadingMore ? "Loading more…" : "More"}</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

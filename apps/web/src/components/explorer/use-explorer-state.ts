"use client";

import { DEFAULT_LOG_RANGE, LOG_RANGE_NAMES, type LogRangePreset } from "@switchyard/shared";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

export interface ExplorerState {
  q: string;
  /** A preset (relative, stays relative on reload) unless `from`/`to` are set. */
  range: LogRangePreset;
  from: string | null;
  to: string | null;
  group: string;
  tail: boolean;
  /** Key of the call shown in the detail panel. */
  call: string | null;
}

/** The explorer's whole state lives in the URL, so a copied link restores the exact view. */
export function useExplorerState(): [ExplorerState, (patch: Partial<ExplorerState>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo<ExplorerState>(() => {
    const range = params.get("range");
    return {
      q: params.get("q") ?? "",
      range: (LOG_RANGE_NAMES as readonly string[]).includes(range ?? "") ? (range as LogRangePreset) : DEFAULT_LOG_RANGE,
      from: params.get("from"),
      to: params.get("to"),
      group: params.get("group") ?? "status",
      tail: params.get("tail") === "1",
      call: params.get("call"),
    };
  }, [params]);
  const set = useCallback(
    (patch: Partial<ExplorerState>) => {
      const next = { ...state, ...patch };
      const sp = new URLSearchParams();
      if (next.q) sp.set("q", next.q);
      if (next.from && next.to) {
        sp.set("from", next.from);
        sp.set("to", next.to);
      } else if (next.range !== DEFAULT_LOG_RANGE) sp.set("range", next.range);
      if (next.group !== "status") sp.set("group", next.group);
      if (next.tail) sp.set("tail", "1");
      if (next.call) sp.set("call", next.call);
      router.replace(`${pathname}${sp.size ? `?${sp.toString()}` : ""}`, { scroll: false });
    },
    [state, router, pathname],
  );
  return [state, set];
}

/** The query string the API routes take for the state (team and project added by the caller). */
export function apiParams(state: ExplorerState, extra: Record<string, string> = {}): URLSearchParams {
  const sp = new URLSearchParams({ q: state.q, ...extra });
  if (state.from && state.to) {
    sp.set("from", state.from);
    sp.set("to", state.to);
  } else sp.set("range", state.range);
  return sp;
}

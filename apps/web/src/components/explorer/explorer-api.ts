/** Types and fetching shared by the explorer's client components (the routes under /api/teams/:teamId/logs). */
import type { FacetValue, LogCall, LogCallDetail, LogFacet, LogHistogram, LogMetrics } from "@switchyard/db";

/** JSON turns dates into strings. */
export type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type CallRow = Json<LogCall>;
export type CallDetail = Json<LogCallDetail>;
export interface ListPage {
  items: CallRow[];
  nextCursor: string | null;
  range: { from: string; to: string };
}
export interface FacetsResult {
  facets: Record<LogFacet, FacetValue[]>;
  fromRollups: boolean;
  sampleSize: number;
}
export type HistogramResult = Json<LogHistogram>;
export type MetricsResult = LogMetrics;
export interface CallResult {
  call: CallDetail;
  context: { before: CallRow[]; after: CallRow[] };
}

/** A refused request, with the query error's position when the query did not parse. */
export class ExplorerError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details?: { position?: number; expected?: string[] },
  ) {
    super(message);
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; details?: { position?: number; expected?: string[] } } } | null;
  if (!res.ok) throw new ExplorerError(body?.error?.message ?? `Request failed (${res.status})`, res.status, body?.error?.details);
  return body as T;
}

/**
 * Streams an explorer query as NDJSON or CSV: rows are read in keyset pages and written as they
 * come, so an export of a week of calls never sits in memory. Payload columns only for roles
 * that may see them.
 */
import { iterateLogCalls, type Database, type LogCall } from "@switchyard/db";
import type { ExplorerScope } from "./explorer";

/** Hard cap per export; a narrower range or query exports the rest. */
export const EXPORT_MAX_ROWS = 1_000_000;

const CSV_COLUMNS = ["startedAt", "durationMs", "status", "method", "serverName", "toolName", "clientType", "keyName", "sessionId", "errorMessage", "id", "projectId"] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = v instanceof Date ? v.toISOString() : typeof v === "string" ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type ExportRow = LogCall & { input?: unknown; output?: unknown };

function ndjsonLine(r: ExportRow): string {
  const { key: _key, ...rest } = r;
  return `${JSON.stringify(rest)}\n`;
}

export function exportResponse(db: Database, scope: ExplorerScope, format: "ndjson" | "csv"): Response {
  const columns = [...CSV_COLUMNS, ...(scope.withPayloads ? (["input", "output"] as const) : [])];
  const rows = iterateLogCalls(db, scope.tenant, { range: scope.range, query: scope.query, withPayloads: scope.withPayloads, pageSize: 1000, max: EXPORT_MAX_ROWS });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(`${columns.join(",")}\n`));
    },
    async pull(controller) {
      // One row per pull keeps memory flat; the stream's queue batches the small chunks.
      const next = await rows.next();
      if (next.done) {
        controller.close();
        return;
      }
      const r = next.value;
      const line = format === "csv" ? `${columns.map((c) => csvCell((r as unknown as Record<string, unknown>)[c])).join(",")}\n` : ndjsonLine(r);
      controller.enqueue(encoder.encode(line));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
      "content-disposition": `attachment; filename="calls-${stamp}.${format === "csv" ? "csv" : "ndjson"}"`,
      "cache-control": "no-store",
    },
  });
}

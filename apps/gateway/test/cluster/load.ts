/**
 * Load through the balancer with unmodified SDK clients on both transports, every call with a
 * unique message, so the suite can tell afterwards which successful calls have their row (lost)
 * and which have more than one (duplicates). A Streamable HTTP client whose session is refused
 * (404 "Session not found") counts a lost session and initializes a new one. A legacy SSE session
 * lives as long as its stream (docs/ARCHITECTURE.md, "Sessions across instances"): an SSE client
 * whose stream ended — it learns so from the stream, or from a 404 on its next POST when the
 * instance that held the stream has restarted — opens a new one and counts a reconnect.
 */
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Sql } from "postgres";

export type Transport = "http" | "sse";

export interface LoadCounts {
  issued: number;
  ok: number;
  failed: number;
  sessionsLost: number;
  streamReconnects: number;
  /** Slowest call, in ms (a stall shows here). */
  maxMs: number;
  /** Failure messages, by message, for the report. */
  errors: Map<string, number>;
}

export interface Load {
  counts: LoadCounts;
  /** Messages of the calls that succeeded. */
  okMessages: Set<string>;
  /** Stops issuing and waits for calls in flight. */
  stop: () => Promise<void>;
  /** Resolves once `calls` calls have been issued and answered (a load without `calls` runs until stop()). */
  finished: Promise<void>;
  /** Calls finished (either way) since `since` (ms epoch), with their latency. */
  finishedSince: (since: number) => { at: number; ms: number; ok: boolean }[];
  runId: string;
}

export async function connectClient(endpoint: string, transport: Transport, key: string): Promise<Client> {
  const client = new Client({ name: "fault-suite", version: "1.0.0" });
  const headers = { authorization: `Bearer ${key}` };
  const url = new URL(endpoint);
  await client.connect(transport === "http" ? new StreamableHTTPClientTransport(url, { requestInit: { headers } }) : new SSEClientTransport(url, { requestInit: { headers }, eventSourceInit: { fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) } }));
  return client;
}

export interface LoadOptions {
  endpoints: Record<Transport, string>;
  key: string;
  /** Workers per transport. */
  perTransport: number;
  /** Stop after this many calls issued in all (default: until stop()). */
  calls?: number;
  pauseMs?: number;
  callTimeoutMs?: number;
  tool?: string;
}

export function startLoad(opts: LoadOptions): Load {
  const runId = randomBytes(4).toString("hex");
  const counts: LoadCounts = { issued: 0, ok: 0, failed: 0, sessionsLost: 0, streamReconnects: 0, maxMs: 0, errors: new Map() };
  const okMessages = new Set<string>();
  const finished: { at: number; ms: number; ok: boolean }[] = [];
  const tool = opts.tool ?? "everything__echo";
  let stopped = false;
  let seq = 0;
  const note = (e: unknown) => {
    // Counts and seconds in messages ("not retrying for 27 s") would make one line per value.
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 120).replace(/\d+/g, "N");
    counts.errors.set(message, (counts.errors.get(message) ?? 0) + 1);
    return message;
  };

  const worker = async (transport: Transport) => {
    let client: Client | undefined;
    while (!stopped && (opts.calls === undefined || counts.issued < opts.calls)) {
      if (!client) {
        client = await connectClient(opts.endpoints[transport], transport, opts.key).catch((e: unknown) => {
          note(`connect: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        });
        if (!client) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          continue;
        }
      }
      const message = `${runId}-${seq++}`;
      counts.issued++;
      const started = performance.now();
      let ok = false;
      try {
        const res = await client.callTool({ name: tool, arguments: { message } }, undefined, { timeout: opts.callTimeoutMs ?? 20_000 });
        const text = (res.content as { text?: string }[] | undefined)?.[0]?.text;
        ok = !res.isError && text === `Echo: ${message}`;
        if (!ok) note(`tool error: ${text ?? "?"}`);
      } catch (e) {
        const why = note(e);
        if (transport === "http" && /session not found/i.test(why)) {
          counts.sessionsLost++;
          await client.close().catch(() => undefined);
          client = undefined;
        } else if (transport === "sse" && /session not found|connection closed|not connected|sse error|terminated/i.test(why)) {
          counts.streamReconnects++;
          await client.close().catch(() => undefined);
          client = undefined;
        }
      }
      const ms = performance.now() - started;
      counts.maxMs = Math.max(counts.maxMs, ms);
      finished.push({ at: Date.now(), ms, ok });
      if (ok) {
        counts.ok++;
        okMessages.add(message);
      } else counts.failed++;
      if (opts.pauseMs) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
    }
    await client?.close().catch(() => undefined);
  };

  const workers = (["http", "sse"] as const).flatMap((t) => Array.from({ length: opts.perTransport }, () => worker(t)));
  const all = Promise.all(workers);
  return {
    counts,
    okMessages,
    runId,
    finishedSince: (since) => finished.filter((f) => f.at >= since),
    finished: all.then(() => undefined),
    stop: async () => {
      stopped = true;
      await all;
    },
  };
}

/** Waits until the call log holds at least every successful call of the run (or the time is up), then counts. */
export async function countRows(sql: Sql, projectId: string, load: Load, timeoutMs = 30_000): Promise<{ rows: number; lost: number; duplicates: number }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await sql<{ message: string; n: number }[]>`
      select input->>'message' as message, count(*)::int as n from tool_call_logs
      where project_id = ${projectId} and tool_name = 'echo' and input->>'message' like ${`${load.runId}-%`}
      group by 1`.catch(() => undefined);
    if (rows) {
      const seen = new Map(rows.map((r) => [r.message, r.n]));
      const lost = [...load.okMessages].filter((m) => !seen.has(m)).length;
      const total = rows.reduce((sum, r) => sum + r.n, 0);
      if (lost === 0 || Date.now() > until) return { rows: total, lost, duplicates: total - rows.length };
    }
    if (Date.now() > until) return { rows: -1, lost: load.okMessages.size, duplicates: 0 };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The line each scenario prints: issued / ok / failed / rows / lost / duplicates, and what failed. */
export function report(scenario: string, counts: LoadCounts, rows: { rows: number; lost: number; duplicates: number }, extra: Record<string, string | number> = {}): string {
  const fields = { issued: counts.issued, ok: counts.ok, failed: counts.failed, rows: rows.rows, lost: rows.lost, duplicates: rows.duplicates, "sessions lost": counts.sessionsLost, "stream reconnects": counts.streamReconnects, "slowest ms": Math.round(counts.maxMs), ...extra };
  const errors = [...counts.errors].map(([m, n]) => `    ${n} × ${m}`).join("\n");
  const line = `[faults] ${scenario}: ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join(" / ")}${errors ? `\n${errors}` : ""}`;
  process.stdout.write(`${line}\n`);
  return line;
}

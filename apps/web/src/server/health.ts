/** System health checks for the admin page: each has a bounded time and reports its own failure. */
import type { WebDeps } from "./deps";

export interface HealthCheck {
  name: string;
  ok: boolean;
  detail: string;
  latencyMs: number | null;
}

async function timed(name: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<string>): Promise<HealthCheck> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const detail = await Promise.race([
      run(controller.signal),
      new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(new Error(`no answer within ${timeoutMs} ms`)))),
    ]);
    return { name, ok: true, detail, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    return { name, ok: false, detail: e instanceof Error ? e.message : String(e), latencyMs: null };
  } finally {
    clearTimeout(timer);
  }
}

export async function runHealthChecks(deps: WebDeps): Promise<HealthCheck[]> {
  return Promise.all([
    timed("Database", 3000, async () => {
      const [row] = await deps.sql<{ version: string }[]>`select current_setting('server_version') as version`;
      return `PostgreSQL ${row?.version ?? "?"}`;
    }),
    timed(`Queue backend (${deps.config.queueBackend === "redis" ? "Redis" : "Postgres"})`, 3000, async () => {
      const queues = deps.queues();
      const counts = await queues.getCounts("switchyard-status");
      const workers = await queues.getWorkerCount("switchyard-status");
      if (workers === 0) throw new Error(`reachable, but no worker is connected (${counts.waiting} jobs waiting)`);
      return `${workers} worker${workers === 1 ? "" : "s"} connected, ${counts.waiting} waiting, ${counts.active} active`;
    }),
    timed("Gateway /readyz", 3000, async (signal) => {
      const res = await fetch(`${deps.config.gatewayInternalUrl}/readyz`, { signal, cache: "no-store" });
      const body = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${body.slice(0, 300)}`);
      return body.slice(0, 300) || "ready";
    }),
  ]);
}

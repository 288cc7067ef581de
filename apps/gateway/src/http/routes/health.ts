import { Hono } from "hono";
import { PRODUCT_VERSION } from "../../package-root";

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HealthDeps {
  /** Dependencies whose failure makes the instance not ready (database, redis). */
  checks: HealthCheck[];
  timeoutMs?: number;
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<{ ok: boolean; error?: string; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: HealthDeps): Hono {
  const app = new Hono();
  // GET /healthz — liveness: the process answers.
  app.get("/healthz", (c) => c.json({ status: "ok", version: PRODUCT_VERSION }));
  // GET /readyz — readiness: every dependency answers.
  app.get("/readyz", async (c) => {
    const results = await Promise.all(deps.checks.map(async (ch) => [ch.name, await runCheck(ch, deps.timeoutMs ?? 2_000)] as const));
    const ready = results.every(([, r]) => r.ok);
    return c.json({ status: ready ? "ready" : "not_ready", checks: Object.fromEntries(results) }, ready ? 200 : 503);
  });
  return app;
}

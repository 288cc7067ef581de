/**
 * `/healthz` (liveness, with the dependencies' state as detail) and `/readyz` (readiness: whether
 * a load balancer should send this instance calls). docs/DEPLOY.md says what each answer means.
 */
import { Hono } from "hono";
import { PRODUCT_VERSION } from "../../package-root";

/** What a failed dependency means for this instance right now. */
export type Impact = "unready" | "degraded";

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
  /** Read when the check fails (default "unready"): Redis down is "degraded" (limits fall back to local counts). */
  impact?: () => Impact;
}

export interface HealthDeps {
  checks: HealthCheck[];
  timeoutMs?: number;
  /** Shutting down: /readyz answers 503 at once, whatever the dependencies say. */
  isDraining?: () => boolean;
}

interface CheckResult {
  ok: boolean;
  error?: string;
  ms: number;
  impact?: Impact;
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
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
    const impact = check.impact?.() ?? "unready";
    return { ok: false, error: e instanceof Error ? e.message : String(e), ms: Math.round(performance.now() - started), impact };
  } finally {
    clearTimeout(timer);
  }
}

type Status = "ready" | "degraded" | "not_ready" | "draining";

async function assess(deps: HealthDeps): Promise<{ status: Status; checks: Record<string, CheckResult> }> {
  const results = await Promise.all(deps.checks.map(async (ch) => [ch.name, await runCheck(ch, deps.timeoutMs ?? 2_000)] as const));
  const failed = results.filter(([, r]) => !r.ok);
  const status: Status = deps.isDraining?.() ? "draining" : failed.some(([, r]) => r.impact === "unready") ? "not_ready" : failed.length > 0 ? "degraded" : "ready";
  return { status, checks: Object.fromEntries(results) };
}

export function healthRoutes(deps: HealthDeps): Hono {
  const app = new Hono();
  // GET /healthz — liveness: the process answers (always 200); the detail says "degraded" when a dependency is down.
  app.get("/healthz", async (c) => {
    const { status, checks } = await assess(deps);
    return c.json({ status: status === "ready" ? "ok" : status, version: PRODUCT_VERSION, checks });
  });
  // GET /readyz — readiness: 503 only when this instance cannot serve calls (draining, or a dependency it cannot do without is down).
  app.get("/readyz", async (c) => {
    const { status, checks } = await assess(deps);
    return c.json({ status, checks }, status === "ready" || status === "degraded" ? 200 : 503);
  });
  return app;
}

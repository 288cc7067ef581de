/**
 * The gateway's Hono app, built from injected services so tests can pass their own. Error
 * handling, request ids and sub-apps are wired here once.
 */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { AppError } from "@switchyard/shared";
import { healthRoutes, type HealthDeps } from "./routes/health";
import { wellKnownRoutes } from "./routes/well-known";

export interface AppDeps {
  health: HealthDeps;
  log: (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(requestId());
  app.route("/", healthRoutes(deps.health));
  app.route("/", wellKnownRoutes());
  app.notFound((c) => c.json({ error: { code: "not_found", message: "not found" } }, 404));
  app.onError((err, c) => {
    if (err instanceof AppError) return c.json({ error: { code: err.code, message: err.message } }, err.status as 400);
    deps.log("error", "unhandled error", { requestId: c.get("requestId"), error: err instanceof Error ? err.stack : String(err) });
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  });
  return app;
}

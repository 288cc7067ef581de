import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { GatewayMetrics } from "../../metrics/gateway-metrics";
import { bearerToken } from "../../auth/authenticator";

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Metrics name every project and server: only a scraper holding METRICS_TOKEN may read them. */
export function metricsRoutes(metrics: GatewayMetrics, token: string | undefined): Hono {
  const app = new Hono();
  // GET /metrics — Prometheus text exposition, with `Authorization: Bearer METRICS_TOKEN`
  app.get("/metrics", async (c) => {
    if (!token || !tokenMatches(bearerToken(c.req.header("authorization")), token)) {
      return c.json({ error: { code: "unauthorized", message: "metrics need Authorization: Bearer <METRICS_TOKEN>" } }, 401, { "www-authenticate": "Bearer" });
    }
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { "content-type": contentType });
  });
  return app;
}

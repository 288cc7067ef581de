import { Hono } from "hono";
import type { GatewayMetrics } from "../../metrics/gateway-metrics";

export function metricsRoutes(metrics: GatewayMetrics): Hono {
  const app = new Hono();
  // GET /metrics — Prometheus text exposition
  app.get("/metrics", async (c) => {
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { "content-type": contentType });
  });
  return app;
}

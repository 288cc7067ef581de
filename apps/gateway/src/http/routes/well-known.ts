import { Hono } from "hono";

/**
 * MCP clients probe OAuth discovery endpoints even when a bearer header is configured; answer a
 * clean JSON 404 (not HTML, not a redirect) so they fall back to the configured header.
 */
export function wellKnownRoutes(): Hono {
  const app = new Hono();
  const notFound = (path: string) => ({ error: "not_found", error_description: `${path} is not served: use a project API key as a Bearer token` });
  app.all("/.well-known/*", (c) => c.json(notFound(c.req.path), 404));
  for (const path of ["/authorize", "/token", "/register"]) app.all(path, (c) => c.json(notFound(path), 404));
  return app;
}

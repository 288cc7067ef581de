/** Runs the gateway: database, HTTP server, graceful shutdown. */
import { serve, type ServerType } from "@hono/node-server";
import { createDb } from "@switchyard/db";
import type { Config } from "./config";
import { createApp } from "./http/app";
import { createLogger } from "./logger";

export interface RunningGateway {
  url: string;
  close: () => Promise<void>;
}

export async function startGateway(config: Config & { databaseUrl: string }): Promise<RunningGateway> {
  const log = createLogger("gateway", config.env.LOG_LEVEL);
  const handle = createDb(config.databaseUrl, { applicationName: "switchyard-gateway" });
  const app = createApp({
    log,
    health: { checks: [{ name: "database", check: async () => void (await handle.sql`select 1`) }] },
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.gatewayPort }, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.gatewayPort;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  log("info", "gateway listening", { url });
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
    },
  };
}

/**
 * `switchyard start` on a machine where 8080 or 3000 is already taken: pick a free port instead
 * and say so, rather than letting a child crash on EADDRINUSE.
 */
import { createServer } from "node:net";
import type { Config } from "../config";

function listenOnce(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(undefined));
    srv.listen(port, host, () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : undefined));
    });
  });
}

async function choose(host: string, wanted: number, what: string, variable: string, notes: string[]): Promise<number> {
  if ((await listenOnce(host, wanted)) !== undefined) return wanted;
  const other = await listenOnce(host, 0);
  if (other === undefined) throw new Error(`cannot listen on ${host}: check HOST`);
  notes.push(`port ${wanted} is in use, so the ${what} listens on ${other} instead (set ${variable} to choose)`);
  return other;
}

/** The config with free ports for the gateway and (when started) the console, and what changed. */
export async function choosePorts(config: Config, withConsole: boolean): Promise<{ config: Config; notes: string[] }> {
  const notes: string[] = [];
  const gatewayPort = await choose(config.host, config.gatewayPort, "gateway", "GATEWAY_PORT", notes);
  if (gatewayPort !== config.gatewayPort && config.env.PUBLIC_GATEWAY_URL) {
    throw new Error(`port ${config.gatewayPort} is in use by another program and PUBLIC_GATEWAY_URL names it: stop that program or change GATEWAY_PORT and PUBLIC_GATEWAY_URL`);
  }
  const webPort = withConsole ? await choose(config.host, config.webPort, "console", "WEB_PORT", notes) : config.webPort;
  const publicGatewayUrl = new URL(config.publicGatewayUrl);
  if (!config.env.PUBLIC_GATEWAY_URL) publicGatewayUrl.port = String(gatewayPort);
  return { config: { ...config, gatewayPort, webPort, publicGatewayUrl: publicGatewayUrl.toString().replace(/\/$/, "") }, notes };
}

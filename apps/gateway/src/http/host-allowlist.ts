/**
 * Which Host and Origin headers a gateway bound to a loopback address accepts: its own
 * addresses and the public URL (and the console's origin, for try-it from the browser). Any other
 * Host means a page reached 127.0.0.1 through a rebound DNS name.
 */
import type { HostGuardOptions } from "./mcp-middleware";

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

export function isLoopbackBind(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

export interface HostAllowlistInput {
  host: string;
  port: number;
  publicGatewayUrl: string;
  webPort: number;
}

/** Guard settings for the bind, or undefined when the bind is not loopback (a proxy or firewall decides). */
export function hostAllowlist(input: HostAllowlistInput): HostGuardOptions | undefined {
  if (!isLoopbackBind(input.host)) return undefined;
  const names = new Set([...LOOPBACK_NAMES, input.host.includes(":") ? `[${input.host}]` : input.host]);
  const hosts = new Set<string>();
  const origins = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${input.port}`);
    if (input.port === 80) hosts.add(name);
    origins.add(`http://${name}:${input.port}`);
    origins.add(`http://${name}:${input.webPort}`);
  }
  const pub = new URL(input.publicGatewayUrl);
  hosts.add(pub.host.toLowerCase());
  origins.add(pub.origin.toLowerCase());
  return { allowedHosts: () => hosts, allowedOrigins: () => origins };
}

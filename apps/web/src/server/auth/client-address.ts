/**
 * The caller's address for the sign-in throttle. `next start` gives handlers no socket, only
 * headers, and sets X-Forwarded-For to the peer only when the request has none. With TRUST_PROXY
 * the proxies' own entries are skipped from the right (as the gateway does with proxy-addr), so
 * the left-most entries a client wrote itself are never believed. Without a proxy a client can
 * write the header: then only the per-account delay (login-throttle.ts) holds — run the console
 * behind a proxy that sets X-Forwarded-For (the compose file does).
 */
import proxyaddr from "proxy-addr";
import { loadEnv } from "@/env";

export type TrustProxy = number | readonly string[];

export function clientAddressFrom(headers: Headers, trust: TrustProxy): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)
    .reverse();
  if (hops.length === 0) return "unknown";
  // The socket's peer (the nearest proxy) is not visible here; it counts as the first trusted hop.
  if (typeof trust === "number") return hops[Math.min(Math.max(trust - 1, 0), hops.length - 1)] ?? "unknown";
  const trusted = proxyaddr.compile([...trust]);
  const first = hops.findIndex((addr, i) => !trusted(addr, i + 1));
  return hops[first === -1 ? hops.length - 1 : first] ?? "unknown";
}

/** The caller's address under this console's TRUST_PROXY. */
export function clientIp(headers: Headers): string {
  return clientAddressFrom(headers, loadEnv().TRUST_PROXY);
}

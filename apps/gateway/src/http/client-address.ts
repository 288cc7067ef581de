/**
 * The caller's address the way Express defines it (proxy-addr): start at the socket's peer and walk
 * X-Forwarded-For from the right while the hop is trusted; the first untrusted hop is the caller.
 * A client can prepend anything to the header, so the left-most entry is never believed.
 */
import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";

/** `0`: the socket's peer only; `n`: n proxies in front; a list: the proxies' addresses and CIDRs. */
export type TrustProxy = number | readonly string[];

export type TrustFunction = (addr: string, hop: number) => boolean;

export function compileTrust(trust: TrustProxy): TrustFunction {
  if (typeof trust === "number") return (_addr, hop) => hop < trust;
  return proxyaddr.compile([...trust]);
}

/** The caller's address, or "unknown" when there is no socket (in-process requests in tests). */
export function clientAddress(incoming: IncomingMessage | undefined, forwardedFor: string | undefined, trust: TrustFunction): string {
  const remoteAddress = incoming?.socket.remoteAddress;
  if (!remoteAddress) return "unknown";
  // No header: the peer is the caller whatever the trust (what proxy-addr answers, without its parsing on every request).
  if (!forwardedFor) return normalize(remoteAddress);
  const req = { socket: { remoteAddress }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} };
  // proxy-addr reads only these two fields of the request.
  return normalize(proxyaddr(req as unknown as IncomingMessage, trust));
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same caller. */
function normalize(addr: string): string {
  return addr.startsWith("::ffff:") && addr.includes(".") ? addr.slice(7) : addr;
}

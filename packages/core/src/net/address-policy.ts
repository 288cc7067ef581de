/** Address ranges a remote upstream may never reach unless ALLOW_PRIVATE_UPSTREAMS=true. */
import ipaddr from "ipaddr.js";

/** Every ipaddr.js range other than plain unicast is refused (loopback, private, link-local, CGNAT, multicast, reserved…). */
export function isForbiddenAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return true;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) addr = v6.toIPv4Address();
  }
  return addr.range() !== "unicast";
}

/** Hostnames refused without a DNS lookup: IP literals in a forbidden range and well-known internal names. */
export function isLiteralForbiddenHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (ipaddr.isValid(host)) return isForbiddenAddress(host);
  return host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal") || host === "metadata.google.internal";
}

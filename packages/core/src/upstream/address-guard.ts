/**
 * Decides where a remote upstream request may connect (docs/SECURITY.md): the host is
 * resolved once, every address is checked, and the caller connects to the address returned here —
 * so there is no window for DNS rebinding between the check and the connect. The gateway's own URLs
 * are refused even when private upstreams are allowed (a gateway proxying to itself loops forever).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import ipaddr from "ipaddr.js";
import { AppError } from "@switchyard/shared";
import { isForbiddenAddress as defaultIsForbidden, isLiteralForbiddenHost } from "../net/address-policy";

/** Resolves a hostname to every address it has (A and AAAA). */
export type HostResolver = (hostname: string) => Promise<string[]>;

export interface AddressGuardOptions {
  allowPrivate: boolean;
  /** The gateway's own base URLs; any scheme/host/port they name is refused as an upstream. */
  selfUrls: readonly string[];
  /** Test seam: defaults to the system resolver (getaddrinfo, honours /etc/hosts). */
  resolve?: HostResolver;
  /** Test seam: defaults to `isForbiddenAddress` from net/address-policy. */
  isForbiddenAddress?: (ip: string) => boolean;
}

export interface AddressGuard {
  /** Checks that need no DNS: scheme, credentials, well-known internal names, the gateway's own host and port. */
  checkUrl(url: URL): void;
  /** Resolves `hostname` and returns the one address to connect to, after every check. */
  resolveForConnect(hostname: string, port: number): Promise<string>;
}

const systemResolve: HostResolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
}

function normalizeIp(ip: string): string {
  const addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return (addr as ipaddr.IPv6).toIPv4Address().toString();
  return addr.toNormalizedString();
}

export function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

/** Addresses that reach this machine: loopback, unspecified and every local interface. */
function isLocalAddress(ip: string): boolean {
  const range = ipaddr.parse(ip).range();
  if (range === "loopback" || range === "unspecified") return true;
  const mine = Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [normalizeIp(i.address.split("%")[0] ?? i.address)] : []));
  return mine.includes(ip);
}

function refuse(message: string): AppError {
  return new AppError("forbidden", message, { reason: "upstream_address" });
}

export function createAddressGuard(options: AddressGuardOptions): AddressGuard {
  const resolveHost = options.resolve ?? systemResolve;
  const forbidden = options.isForbiddenAddress ?? defaultIsForbidden;
  const selves = options.selfUrls.map((u) => {
    const url = new URL(u);
    return { host: bareHost(url.hostname), port: effectivePort(url) };
  });

  async function addressesOf(host: string): Promise<string[]> {
    if (isIP(host)) return [normalizeIp(host)];
    const found = await resolveHost(host).catch((e: Error) => {
      throw new AppError("unavailable", `could not resolve ${host}: ${e.message}`);
    });
    if (found.length === 0) throw new AppError("unavailable", `could not resolve ${host}`);
    return found.map((a) => normalizeIp(a.split("%")[0] ?? a));
  }

  /** Same port as one of our URLs, and an address of that URL or (when it is on this machine) any local address. */
  async function isSelf(addresses: string[], port: number): Promise<boolean> {
    const candidates = selves.filter((s) => s.port === port);
    if (candidates.length === 0) return false;
    const selfAddresses = (await Promise.all(candidates.map((s) => addressesOf(s.host).catch(() => [] as string[])))).flat();
    const selfIsLocal = selfAddresses.some(isLocalAddress);
    return addresses.some((a) => selfAddresses.includes(a) || (selfIsLocal && isLocalAddress(a)));
  }

  return {
    checkUrl(url) {
      if (url.protocol !== "http:" && url.protocol !== "https:") throw refuse(`upstream URL scheme ${url.protocol} is not allowed`);
      const host = bareHost(url.hostname);
      const port = effectivePort(url);
      if (selves.some((s) => s.host === host && s.port === port)) throw refuse("upstream URL points at this gateway");
      if (options.allowPrivate) return;
      if (isIP(host) ? forbidden(normalizeIp(host)) : isLiteralForbiddenHost(host)) {
        throw refuse("upstream URL points at a private, loopback or link-local address (ALLOW_PRIVATE_UPSTREAMS is off)");
      }
    },

    async resolveForConnect(hostname, port) {
      const host = bareHost(hostname);
      if (!options.allowPrivate && !isIP(host) && isLiteralForbiddenHost(host)) {
        throw refuse(`${host} is an internal name (ALLOW_PRIVATE_UPSTREAMS is off)`);
      }
      const addresses = await addressesOf(host);
      if (!options.allowPrivate) {
        const bad = addresses.find((a) => forbidden(a));
        if (bad !== undefined) throw refuse(`${host} resolves to ${bad}, a private, loopback or link-local address (ALLOW_PRIVATE_UPSTREAMS is off)`);
      }
      if (await isSelf(addresses, port)) throw refuse("upstream URL points at this gateway");
      const first = addresses[0];
      if (first === undefined) throw new AppError("unavailable", `could not resolve ${host}`);
      return first;
    },
  };
}

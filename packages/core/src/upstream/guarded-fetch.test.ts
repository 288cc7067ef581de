/**
 * Real sockets on loopback: "public" hosts are names that an injected resolver maps to 127.0.0.2, an
 * address the injected policy treats as public; 127.0.0.1 keeps the real policy and plays the private
 * network. The private server counts hits, so a refusal is proven by it never being reached.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isForbiddenAddress } from "../net/address-policy";
import { createAddressGuard, type AddressGuardOptions } from "./address-guard";
import { createGuardedFetch } from "./guarded-fetch";

const PUBLIC_IP = "127.0.0.2";
let publicPort = 0;
let privatePort = 0;
let privateHits = 0;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
const servers: Server[] = [];
const resolveCalls: string[] = [];

async function listen(host: string, handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

function resolver(): AddressGuardOptions["resolve"] {
  let flips = 0;
  const table = (host: string): string[] | undefined => {
    if (host === "public.test" || host === "other.test") return [PUBLIC_IP];
    if (host === "private.test") return ["127.0.0.1"];
    if (host === "mixed.test") return [PUBLIC_IP, "10.1.2.3"];
    // Rebinding: public on the first lookup, loopback afterwards.
    if (host === "flip.test") return flips++ === 0 ? [PUBLIC_IP] : ["127.0.0.1"];
    if (host === "localhost") return ["127.0.0.1", "::1"];
    return undefined;
  };
  return (host) => {
    resolveCalls.push(host);
    const found = table(host);
    return found ? Promise.resolve(found) : Promise.reject(new Error(`ENOTFOUND ${host}`));
  };
}

function guarded(over: Partial<AddressGuardOptions> = {}, headers: Record<string, string> = {}, baseUrl = `http://public.test:${publicPort}/mcp`) {
  const guard = createAddressGuard({
    allowPrivate: false,
    selfUrls: [],
    resolve: resolver(),
    isForbiddenAddress: (ip) => ip !== PUBLIC_IP && isForbiddenAddress(ip),
    ...over,
  });
  return createGuardedFetch({ guard, baseUrl, headers });
}

beforeAll(async () => {
  privatePort = await listen("127.0.0.1", (_req, res) => {
    privateHits++;
    res.end("private");
  });
  publicPort = await listen(PUBLIC_IP, (req, res) => {
    const path = req.url ?? "/";
    seen.push({ path, headers: req.headers });
    const redirects: Record<string, string> = {
      "/to-private-ip": `http://127.0.0.1:${privatePort}/`,
      "/to-private-name": `http://private.test:${privatePort}/`,
      "/to-metadata": "http://169.254.169.254/latest/meta-data/",
      "/to-other-origin": `http://other.test:${publicPort}/landing`,
      "/to-same-origin": "/landing",
    };
    const location = redirects[path];
    if (location) {
      res.writeHead(307, { location, connection: "close" });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`public ${path}`);
  });
});

beforeEach(() => {
  privateHits = 0;
  seen.length = 0;
  resolveCalls.length = 0;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("remote upstream address checks", () => {
  it("connects to the address the resolver returned, keeping the host name in the request", async () => {
    const f = guarded();
    const res = await f.fetch(`http://public.test:${publicPort}/hello`);
    expect(await res.text()).toBe("public /hello");
    expect(seen[0]?.headers.host).toBe(`public.test:${publicPort}`);
    expect(resolveCalls).toEqual(["public.test"]);
    await f.close();
  });

  it.each([
    ["loopback", `http://127.0.0.1:${"PRIVATE"}/`],
    ["private 10/8", "http://10.0.0.1/"],
    ["cloud metadata", "http://169.254.169.254/latest/meta-data/"],
    ["IPv6 loopback", `http://[::1]:${"PRIVATE"}/`],
    ["IPv4-mapped loopback", `http://[::ffff:127.0.0.1]:${"PRIVATE"}/`],
    ["unspecified", `http://0.0.0.0:${"PRIVATE"}/`],
    ["localhost", `http://localhost:${"PRIVATE"}/`],
    ["a name resolving to loopback", `http://private.test:${"PRIVATE"}/`],
    ["a name with one private address among public ones", `http://mixed.test:${"PRIVATE"}/`],
    ["an internal name", "http://metadata.google.internal/"],
  ])("refuses %s without reaching it", async (_what, template) => {
    const f = guarded();
    const started = Date.now();
    await expect(f.fetch(template.replace("PRIVATE", String(privatePort)))).rejects.toMatchObject({ code: "forbidden" });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(privateHits).toBe(0);
    await f.close();
  });

  it("refuses a redirect from an allowed server to a private address, by IP or by name", async () => {
    const f = guarded();
    await expect(f.fetch(`http://public.test:${publicPort}/to-private-ip`)).rejects.toMatchObject({ code: "forbidden" });
    await expect(f.fetch(`http://public.test:${publicPort}/to-private-name`)).rejects.toMatchObject({ code: "forbidden" });
    await expect(f.fetch(`http://public.test:${publicPort}/to-metadata`)).rejects.toMatchObject({ code: "forbidden" });
    expect(privateHits).toBe(0);
    await f.close();
  });

  it("re-resolves on every new connection, so a name rebinding to loopback after the first hop is refused", async () => {
    const f = guarded({}, {}, `http://flip.test:${publicPort}/mcp`);
    await expect(f.fetch(`http://flip.test:${publicPort}/to-same-origin`)).rejects.toMatchObject({ code: "forbidden" });
    expect(seen.map((s) => s.path)).toEqual(["/to-same-origin"]);
    expect(resolveCalls).toEqual(["flip.test", "flip.test"]);
    await f.close();
  });

  it("returns redirects unfollowed when the caller asks for manual handling (the SDK follows hop by hop through this fetch)", async () => {
    const f = guarded();
    const res = await f.fetch(`http://public.test:${publicPort}/to-private-ip`, { redirect: "manual" });
    expect(res.status).toBe(307);
    expect(privateHits).toBe(0);
    await f.close();
  });

  it("refuses the gateway's own URL, also by another name for the same address and port, even with private upstreams allowed", async () => {
    const f = guarded({ allowPrivate: true, selfUrls: [`http://${PUBLIC_IP}:${publicPort}`] });
    await expect(f.fetch(`http://${PUBLIC_IP}:${publicPort}/mcp`)).rejects.toMatchObject({ code: "forbidden" });
    await expect(f.fetch(`http://public.test:${publicPort}/mcp`)).rejects.toMatchObject({ code: "forbidden" });
    expect(seen).toHaveLength(0);
    await f.close();
  });

  it("treats any local address on the gateway's port as the gateway when the gateway runs on loopback", async () => {
    const f = guarded({ allowPrivate: true, selfUrls: [`http://127.0.0.1:${privatePort}`] });
    await expect(f.fetch(`http://localhost:${privatePort}/`)).rejects.toMatchObject({ code: "forbidden" });
    await expect(f.fetch(`http://127.0.0.3:${privatePort}/`)).rejects.toMatchObject({ code: "forbidden" });
    expect(privateHits).toBe(0);
    // Another port on the same machine is a different server.
    const ok = await f.fetch(`http://public.test:${publicPort}/fine`);
    expect(ok.status).toBe(200);
    await f.close();
  });

  it("reaches private addresses when ALLOW_PRIVATE_UPSTREAMS is on", async () => {
    const f = guarded({ allowPrivate: true });
    const res = await f.fetch(`http://127.0.0.1:${privatePort}/`);
    expect(await res.text()).toBe("private");
    await f.close();
  });

  it("refuses schemes other than http and https", async () => {
    const f = guarded();
    await expect(f.fetch("file:///etc/passwd")).rejects.toMatchObject({ code: "forbidden" });
    await f.close();
  });
});

describe("configured headers", () => {
  it("sends them on every request to the upstream's origin, following same-origin redirects", async () => {
    const f = guarded({}, { "X-Api-Key": "k-123", Authorization: "Bearer up" });
    await f.fetch(`http://public.test:${publicPort}/a`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    await f.fetch(`http://public.test:${publicPort}/to-same-origin`);
    expect(seen.map((s) => [s.path, s.headers["x-api-key"], s.headers.authorization])).toEqual([
      ["/a", "k-123", "Bearer up"],
      ["/to-same-origin", "k-123", "Bearer up"],
      ["/landing", "k-123", "Bearer up"],
    ]);
    await f.close();
  });

  it("does not forward them, nor credentials, to another origin after a redirect", async () => {
    const f = guarded({}, { "X-Api-Key": "k-123" });
    await f.fetch(`http://public.test:${publicPort}/to-other-origin`, { headers: { authorization: "Bearer caller" } });
    const landing = seen.find((s) => s.path === "/landing");
    expect(landing?.headers.host).toBe(`other.test:${publicPort}`);
    expect(landing?.headers["x-api-key"]).toBeUndefined();
    expect(landing?.headers.authorization).toBeUndefined();
    await f.close();
  });

  it("lets the SDK's protocol headers win over configured ones", async () => {
    const f = guarded({}, { Accept: "text/html" });
    await f.fetch(`http://public.test:${publicPort}/a`, { headers: { accept: "application/json, text/event-stream" } });
    expect(seen[0]?.headers.accept).toBe("application/json, text/event-stream");
    await f.close();
  });
});

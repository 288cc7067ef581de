/** connectUpstream against the real server-everything: over stdio, Streamable HTTP and legacy SSE. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemoteServerConfig, StdioServerConfig } from "@switchyard/shared";
import { isForbiddenAddress } from "../net/address-policy";
import type { ServerPolicy } from "../servers/server-policy";
import { connectUpstream, type ConnectUpstreamOptions, type UpstreamConnection } from "./connect-upstream";
import { packageCacheEnv } from "./package-runners";
import { EVERYTHING_BIN, isAlive, pidsWithArg, startEverything, type RunningEverything } from "../testing/everything-server";

const STRICT: ServerPolicy = { stdio: "on", stdioAllowlist: [], allowPrivateUpstreams: false };
const OPEN: ServerPolicy = { ...STRICT, allowPrivateUpstreams: true };
const SECRET_CANARY = "sy-secret-canary-9f2c";

let scratchRoot: string;
let http: RunningEverything;
let sse: RunningEverything;
let redirector: Server;
let redirectorPort = 0;
const open: UpstreamConnection[] = [];

function stdio(over: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return { name: "everything", transport: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"], env: {}, timeoutMs: 10_000, enabled: true, isolation: "shared", ...over };
}

function remote(url: string, transport: RemoteServerConfig["transport"] = "streamable_http"): RemoteServerConfig {
  return { name: "remote", transport, url, headers: {}, timeoutMs: 10_000, enabled: true, isolation: "shared" };
}

function opts(over: Partial<ConnectUpstreamOptions> = {}): ConnectUpstreamOptions {
  return { policy: STRICT, scratchRoot, selfUrls: [], ...over };
}

async function connect(...args: Parameters<typeof connectUpstream>): Promise<UpstreamConnection> {
  const up = await connectUpstream(...args);
  open.push(up);
  return up;
}

async function echo(up: UpstreamConnection, message: string): Promise<string> {
  const result = await up.client.request({ method: "tools/call", params: { name: "echo", arguments: { message } } }, CallToolResultSchema);
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error("expected a rejection");
}

function environOf(pid: number): Promise<Record<string, string>> {
  return readFile(`/proc/${pid}/environ`, "utf8").then((raw) =>
    Object.fromEntries(
      raw
        .split("\0")
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
    ),
  );
}

beforeAll(async () => {
  // Variables the gateway has and a child must never see.
  process.env.SWITCHYARD_SECRET_KEY = SECRET_CANARY;
  process.env.DATABASE_URL ??= "postgres://should-not-leak";
  process.env.SY_PARENT_ONLY = "parent";
  scratchRoot = await mkdtemp(join(tmpdir(), "sy-connect-"));
  [http, sse] = await Promise.all([startEverything("streamableHttp"), startEverything("sse")]);
  redirector = createServer((req, res) => {
    res.writeHead(307, { location: `http://127.0.0.1:${http.port}/mcp` });
    res.end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.2", resolve));
  redirectorPort = (redirector.address() as AddressInfo).port;
});

afterAll(async () => {
  await Promise.all(open.map((u) => u.close()));
  await Promise.all([http.stop(), sse.stop()]);
  await new Promise((resolve) => redirector.close(resolve));
  delete process.env.SY_PARENT_ONLY;
  await rm(scratchRoot, { recursive: true, force: true });
});

describe("stdio upstreams", () => {
  it("spawns, initializes and calls a tool", async () => {
    const lines: string[] = [];
    const up = await connect({ serverId: "srv-basic", config: stdio() }, opts({ onStderr: (l) => lines.push(l) }));
    expect(up.transportKind).toBe("stdio");
    expect(up.serverInfo.name).toBe("mcp-servers/everything");
    expect(up.serverInfo.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(up.serverInfo.capabilities).toHaveProperty("tools");
    expect(up.pid).toBeGreaterThan(0);
    expect(await echo(up, "hi")).toBe("Echo: hi");
    // server-everything announces itself on stderr: it reaches onStderr and nothing else.
    expect(lines.join("\n")).toMatch(/STDIO/);
  });

  it("gives the child exactly PATH, HOME = its scratch directory and its own env", async () => {
    const up = await connect({ serverId: "srv-env", config: stdio({ env: { API_TOKEN: "tok-123" } }) }, opts({ childPath: "/usr/local/bin:/usr/bin:/bin" }));
    const expected = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: join(scratchRoot, "srv-env"), ...packageCacheEnv(join(scratchRoot, "package-cache")), API_TOKEN: "tok-123" };
    // What the kernel holds for the process …
    expect(await environOf(up.pid ?? 0)).toEqual(expected);
    // … and what the server itself reports over MCP.
    const result = await up.client.request({ method: "tools/call", params: { name: "get-env", arguments: {} } }, CallToolResultSchema);
    const text = result.content[0]?.type === "text" ? result.content[0].text : "{}";
    const reported = JSON.parse(text) as Record<string, string>;
    expect(reported).toEqual(expected);
    expect(text).not.toContain(SECRET_CANARY);
    for (const leaked of ["DATABASE_URL", "SWITCHYARD_SECRET_KEY", "SY_PARENT_ONLY", "USER", "SHELL", "LOGNAME", "TERM"]) expect(reported).not.toHaveProperty(leaked);
  });

  it("runs the child in its cwd inside the scratch directory", async () => {
    const up = await connect({ serverId: "srv-cwd", config: stdio({ cwd: "work/dir" }) }, opts());
    expect(await readlink(`/proc/${up.pid ?? 0}/cwd`)).toBe(join(scratchRoot, "srv-cwd", "work", "dir"));
  });

  it("refuses stdio servers when STDIO_SERVERS=off, commands off the allowlist, forbidden env keys and cwd escapes", async () => {
    const target = { serverId: "srv-refused", config: stdio() };
    await expect(connectUpstream(target, opts({ policy: { ...STRICT, stdio: "off" } }))).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      connectUpstream(target, opts({ policy: { ...STRICT, stdio: "allowlist", stdioAllowlist: [{ command: "npx", args: ["..."] }] } })),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(connectUpstream({ ...target, config: stdio({ env: { NODE_OPTIONS: "--require /tmp/x.js" } }) }, opts())).rejects.toMatchObject({ code: "forbidden" });
    await expect(connectUpstream({ ...target, config: stdio({ cwd: "../srv-basic" }) }, opts())).rejects.toMatchObject({ code: "forbidden" });
  });

  it("accepts a command on the allowlist", async () => {
    const policy: ServerPolicy = { ...STRICT, stdio: "allowlist", stdioAllowlist: [{ command: process.execPath, args: ["*/server-everything/dist/index.js", "stdio"] }] };
    const up = await connect({ serverId: "srv-allowed", config: stdio() }, opts({ policy }));
    expect(await echo(up, "allowed")).toBe("Echo: allowed");
  });

  it("ends the child on close and reports an expected exit", async () => {
    const up = await connectUpstream({ serverId: "srv-close", config: stdio() }, opts());
    const pid = up.pid ?? 0;
    expect(isAlive(pid)).toBe(true);
    await up.close();
    expect(await up.closed).toMatchObject({ expected: true });
    expect(isAlive(pid)).toBe(false);
  });

  it("reports a killed child as an unexpected exit with its stderr tail", async () => {
    const up = await connect({ serverId: "srv-kill", config: stdio() }, opts());
    process.kill(up.pid ?? 0, "SIGKILL");
    const exit = await up.closed;
    expect(exit.expected).toBe(false);
    expect(exit.stderrTail.join("\n")).toMatch(/STDIO/);
  });

  it("fails with the child's stderr when the command exits at once", async () => {
    const config = stdio({ args: ["-e", "console.error('missing API_TOKEN'); process.exit(3)"] });
    const e = await failure(connectUpstream({ serverId: "srv-exit", config }, opts()));
    expect(e.code).toBe("unavailable");
    expect(e.message).toMatch(/missing API_TOKEN/);
  });

  it("fails for a command that does not exist", async () => {
    await expect(connectUpstream({ serverId: "srv-enoent", config: stdio({ command: "sy-no-such-command" }) }, opts())).rejects.toMatchObject({ code: "unavailable" });
  });

  it("gives up after the connect timeout and leaves no process behind", async () => {
    const marker = "sy-silent-marker-71c3";
    const config = stdio({ args: ["-e", "setInterval(() => {}, 1000)", marker] });
    const started = Date.now();
    const e = await failure(connectUpstream({ serverId: "srv-silent", config }, opts({ connectTimeoutMs: 500 })));
    expect(e.code).toBe("unavailable");
    expect(e.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(pidsWithArg(marker)).toEqual([]);
  });
});

describe("Streamable HTTP and SSE upstreams", () => {
  it("connects over Streamable HTTP when private upstreams are allowed", async () => {
    const up = await connect({ serverId: "r1", config: remote(`http://127.0.0.1:${http.port}/mcp`) }, opts({ policy: OPEN }));
    expect(up.transportKind).toBe("streamable_http");
    expect(up.pid).toBeUndefined();
    expect(up.serverInfo.name).toBe("mcp-servers/everything");
    expect(await echo(up, "over http")).toBe("Echo: over http");
  });

  it("connects over legacy SSE when private upstreams are allowed", async () => {
    const up = await connect({ serverId: "r2", config: remote(`http://127.0.0.1:${sse.port}/sse`, "sse") }, opts({ policy: OPEN }));
    expect(up.transportKind).toBe("sse");
    expect(await echo(up, "over sse")).toBe("Echo: over sse");
  });

  it.each([
    ["Streamable HTTP at 127.0.0.1", () => remote(`http://127.0.0.1:${http.port}/mcp`)],
    ["Streamable HTTP at localhost", () => remote(`http://localhost:${http.port}/mcp`)],
    ["Streamable HTTP at [::1]", () => remote(`http://[::1]:${http.port}/mcp`)],
    ["SSE at 127.0.0.1", () => remote(`http://127.0.0.1:${sse.port}/sse`, "sse")],
  ])("refuses %s when private upstreams are off", async (_what, config) => {
    await expect(connectUpstream({ serverId: "r3", config: config() }, opts())).rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuses the gateway's own URL even when private upstreams are allowed", async () => {
    const selfUrls = [`http://127.0.0.1:${http.port}`];
    await expect(connectUpstream({ serverId: "r4", config: remote(`http://127.0.0.1:${http.port}/mcp`) }, opts({ policy: OPEN, selfUrls }))).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(connectUpstream({ serverId: "r4", config: remote(`http://localhost:${http.port}/mcp`) }, opts({ policy: OPEN, selfUrls }))).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  describe("with a public name (resolver and policy injected: 127.0.0.2 plays a public address)", () => {
    const network = {
      resolve: (host: string) => {
        if (host === "everything.test" || host === "redirector.test") return Promise.resolve(["127.0.0.2"]);
        if (host === "rebound.test") return Promise.resolve(["127.0.0.1"]);
        return Promise.reject(new Error(`ENOTFOUND ${host}`));
      },
      isForbiddenAddress: (ip: string) => ip !== "127.0.0.2" && isForbiddenAddress(ip),
    };

    it("connects to the address the name resolved to, with private upstreams off", async () => {
      const up = await connect({ serverId: "r5", config: remote(`http://everything.test:${http.port}/mcp`) }, opts({ network }));
      expect(await echo(up, "public")).toBe("Echo: public");
    });

    it("refuses a public-looking name that resolves to loopback, through the SDK's initialize request", async () => {
      const e = await failure(connectUpstream({ serverId: "r7", config: remote(`http://rebound.test:${http.port}/mcp`) }, opts({ network })));
      expect(e.code).toBe("forbidden");
      expect(e.message).toMatch(/rebound\.test resolves to 127\.0\.0\.1/);
    });

    it("does not follow a redirect from the public server to a private one", async () => {
      const config = remote(`http://redirector.test:${redirectorPort}/mcp`);
      const e = await failure(connectUpstream({ serverId: "r6", config }, opts({ network })));
      expect(e.message).toMatch(/Redirect to http:\/\/127\.0\.0\.1:\d+\/mcp not followed/);
    });
  });
});

/**
 * The one way Switchyard connects to an upstream MCP server (gateway pool, worker probes, try-it):
 * an SDK `Client` over stdio, legacy SSE or Streamable HTTP, initialized, with the stdio and remote
 * safety rules of docs/ARCHITECTURE.md applied on every connect.
 */
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { ClientCapabilities, Implementation } from "@modelcontextprotocol/sdk/types.js";
import { AppError, type RemoteServerConfig, type ServerConfig, type ServerInfo, type ServerTransport } from "@switchyard/shared";
import type { ServerPolicy } from "../servers/server-policy";
import { createAddressGuard, type HostResolver } from "./address-guard";
import { createGuardedFetch, type GuardedFetch } from "./guarded-fetch";
import { markInstalled, needsInstall } from "./package-runners";
import { planStdioLaunch, type StdioLaunchOptions } from "./stdio-launch";
import { readStderrLines } from "./stderr-lines";

export interface UpstreamTarget {
  /** The server's id: names its scratch directory. */
  serverId: string;
  config: ServerConfig;
}

export interface ConnectUpstreamOptions {
  policy: ServerPolicy;
  /** Each stdio server gets `<scratchRoot>/<serverId>` as HOME and as the root its cwd must stay in. */
  scratchRoot: string;
  /** The gateway's own URLs, refused as upstreams. */
  selfUrls: readonly string[];
  /** Spawn + initialize must finish within this (default 30 s); calls have their own timeouts. */
  connectTimeoutMs?: number;
  /** Package caches shared by all stdio servers (default `<scratchRoot>/package-cache`). */
  packageCacheDir?: string;
  /**
   * Connect limit for the first start on this machine of a package-runner command (`npx -y …`,
   * `uvx …`, `docker run …`), which downloads before it speaks (default 5 min).
   */
  installTimeoutMs?: number;
  /** Called before the wait when this connect is such a first start ("installing"). */
  onInstalling?: () => void;
  /** One call per stderr line of a stdio child (bounded length); the child's stderr goes nowhere else. */
  onStderr?: (line: string) => void;
  clientInfo?: Implementation;
  capabilities?: ClientCapabilities;
  /** PATH for stdio children: the gateway's own, read by its env.ts (default: the system directories). */
  childPath?: string;
  /** The sandbox stdio children run in (docs/SECURITY.md); the gateway and worker always pass theirs. */
  sandbox?: StdioLaunchOptions["sandbox"];
  /** Test seams for the remote address checks. */
  network?: { resolve?: HostResolver; isForbiddenAddress?: (ip: string) => boolean };
}

export interface UpstreamExit {
  /** True when `close()` ended the connection; false when the child exited or the transport closed by itself. */
  expected: boolean;
  /** The last stderr lines of a stdio child, for crash reports. */
  stderrTail: string[];
}

export interface UpstreamConnection {
  client: Client;
  serverInfo: ServerInfo;
  transportKind: ServerTransport;
  /** Process id of a stdio child. */
  pid?: number;
  /** Settles once when the connection ends, for whatever reason. */
  closed: Promise<UpstreamExit>;
  /** Ends the connection: a stdio child gets stdin closed, then SIGTERM, then SIGKILL; a Streamable HTTP session gets DELETE. */
  close(): Promise<void>;
}

/**
 * The client capabilities the gateway relays to its own clients (sampling, elicitation in both
 * modes, roots). Shared upstreams and status probes declare them: servers list the tools that
 * depend on them (server-everything lists its sampling tool only then), so every client sees one
 * catalogue.
 */
export const RELAYED_CLIENT_CAPABILITIES: ClientCapabilities = { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } };

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_INSTALL_TIMEOUT_MS = 300_000;
/** Used when the caller does not pass its own PATH (the gateway and worker pass theirs, from env.ts). */
const DEFAULT_CHILD_PATH = "/usr/local/bin:/usr/bin:/bin";
const STDERR_TAIL = 20;
const CLIENT_INFO: Implementation = { name: "switchyard", version: "0.0.0" };

function remoteTransport(config: RemoteServerConfig, guarded: GuardedFetch): Transport {
  const url = new URL(config.url);
  if (config.transport === "sse") return new SSEClientTransport(url, { fetch: guarded.fetch });
  return new StreamableHTTPClientTransport(url, { fetch: guarded.fetch });
}

/** Rejects after `ms`, without keeping the process alive. */
function deadline(ms: number, what: string): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("unavailable", `${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return { promise, clear: () => clearTimeout(timer) };
}

function describeFailure(e: unknown, stderrTail: string[]): AppError {
  if (e instanceof AppError) return e;
  const message = e instanceof Error ? e.message : String(e);
  // The message names the cause; the full (bounded) tail goes in the details.
  const tail = stderrTail.slice(-5).join("\n").slice(-1_000);
  return new AppError("unavailable", `could not connect to the upstream: ${message}${tail ? `\n${tail}` : ""}`, { stderrTail: stderrTail.slice(-STDERR_TAIL) });
}

/** Connects and initializes; throws `forbidden` for a policy refusal and `unavailable` for anything else. */
export async function connectUpstream(target: UpstreamTarget, options: ConnectUpstreamOptions): Promise<UpstreamConnection> {
  const { config } = target;
  let connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  let installing = false;
  const packageCacheDir = options.packageCacheDir ?? join(options.scratchRoot, "package-cache");
  const stderrTail: string[] = [];
  let transport: Transport;
  let guarded: GuardedFetch | undefined;
  let stdio: StdioClientTransport | undefined;

  if (config.transport === "stdio") {
    const path = options.childPath ?? DEFAULT_CHILD_PATH;
    const launch = await planStdioLaunch(target.serverId, config, {
      policy: options.policy,
      scratchRoot: options.scratchRoot,
      path,
      packageCacheDir,
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    });
    installing = needsInstall(packageCacheDir, config.command, config.args);
    if (installing) {
      connectTimeoutMs = Math.max(connectTimeoutMs, options.installTimeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS);
      options.onInstalling?.();
    }
    stdio = new StdioClientTransport(launch.params);
    const stderr = stdio.stderr;
    if (stderr) {
      readStderrLines(stderr, (line) => {
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
        options.onStderr?.(line);
      });
    }
    transport = stdio;
  } else {
    const guard = createAddressGuard({
      allowPrivate: options.policy.allowPrivateUpstreams,
      selfUrls: options.selfUrls,
      ...options.network,
    });
    guard.checkUrl(new URL(config.url));
    guarded = createGuardedFetch({ guard, baseUrl: config.url, headers: config.headers, connectTimeoutMs });
    transport = remoteTransport(config, guarded);
  }

  // The SDK keeps the negotiated version to itself; it hands it to transports that ask for it.
  let protocolVersion: string | undefined;
  const forward = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    protocolVersion = version;
    forward?.(version);
  };

  const client = new Client(options.clientInfo ?? CLIENT_INFO, { capabilities: options.capabilities ?? {} });
  let closing = false;
  let resolveClosed: (exit: UpstreamExit) => void = () => undefined;
  const closed = new Promise<UpstreamExit>((resolve) => (resolveClosed = resolve));
  client.onclose = () => resolveClosed({ expected: closing, stderrTail: [...stderrTail] });
  // Transport errors also surface as failed requests; the handler only keeps the SDK from logging them.
  client.onerror = () => undefined;

  let closePromise: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closePromise ??= (async () => {
      closing = true;
      if (transport instanceof StreamableHTTPClientTransport) {
        const bye = deadline(2_000, "session termination");
        await Promise.race([transport.terminateSession(), bye.promise]).catch(() => undefined);
        bye.clear();
      }
      await client.close().catch(() => undefined);
      // A transport that never started leaves the client without one; close it directly too.
      await transport.close().catch(() => undefined);
      await guarded?.close().catch(() => undefined);
      resolveClosed({ expected: true, stderrTail: [...stderrTail] });
    })();
    return closePromise;
  };

  const limit = deadline(connectTimeoutMs, installing ? "installing and starting the server (first start)" : "connecting to the upstream");
  try {
    await Promise.race([client.connect(transport, { timeout: connectTimeoutMs }), limit.promise]);
  } catch (e) {
    await close();
    throw describeFailure(e, stderrTail);
  } finally {
    limit.clear();
  }
  if (installing && config.transport === "stdio") {
    // Only a missed speed-up if this fails: the next start waits the install timeout again.
    await markInstalled(packageCacheDir, config.command, config.args).catch(() => undefined);
  }

  const version = client.getServerVersion();
  const serverInfo: ServerInfo = {
    name: version?.name ?? "",
    version: version?.version ?? "",
    ...(protocolVersion ? { protocolVersion } : {}),
    capabilities: { ...(client.getServerCapabilities() ?? {}) },
    ...(client.getInstructions() ? { instructions: client.getInstructions() } : {}),
  };
  return {
    client,
    serverInfo,
    transportKind: config.transport,
    ...(stdio?.pid ? { pid: stdio.pid } : {}),
    closed,
    close,
  };
}

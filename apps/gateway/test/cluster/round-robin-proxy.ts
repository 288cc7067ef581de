/**
 * The small round-robin balancer of the fault suite, configured like docs/DEPLOY.md's nginx: no
 * stickiness, no buffering (SSE streams pass through as they come), active health checks on
 * `/readyz`, and a request moved to the next instance only when the first one provably did not
 * act on it: the connection was refused, or it answered 503 (a draining gateway refuses before
 * doing anything). Host is rewritten to the instance's (its DNS-rebinding guard checks it).
 */
import { createServer, request, Agent, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  url: string;
  /** Requests each instance answered (by its URL). */
  served: Map<string, number>;
  /** Requests moved to another instance (refused connection or 503). */
  retried: () => number;
  close: () => Promise<void>;
}

export async function startRoundRobinProxy(targets: string[], { healthIntervalMs = 250 } = {}): Promise<RoundRobinProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const ready = new Map(targets.map((t) => [t, true]));
  const served = new Map(targets.map((t) => [t, 0]));
  let next = 0;
  let retried = 0;
  const health = setInterval(() => {
    for (const target of targets)
      void fetch(`${target}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => ready.set(target, r.ok),
        () => ready.set(target, false),
      );
  }, healthIntervalMs);

  const order = (): string[] => {
    const start = next++ % targets.length;
    const rotated = [...targets.slice(start), ...targets.slice(0, start)];
    const healthy = rotated.filter((t) => ready.get(t));
    // Nothing healthy: try them all rather than answer for them.
    return healthy.length > 0 ? [...healthy, ...rotated.filter((t) => !ready.get(t))] : rotated;
  };

  const forward = (target: string, req: IncomingMessage, body: Buffer): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const url = new URL(req.url ?? "/", target);
      const headers = { ...req.headers, host: url.host, "x-forwarded-for": req.socket.remoteAddress ?? "127.0.0.1" };
      const upstream = request(url, { method: req.method, headers, agent }, resolve);
      upstream.once("error", reject);
      upstream.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const candidates = order().slice(0, 2);
    for (const [i, target] of candidates.entries()) {
      const last = i === candidates.length - 1;
      let upstream: IncomingMessage;
      try {
        upstream = await forward(target, req, body);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ECONNREFUSED" && !last) {
          ready.set(target, false);
          retried++;
          continue;
        }
        res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "bad_gateway", message: String(code ?? e) } }));
        return;
      }
      if (upstream.statusCode === 503 && !last) {
        upstream.resume();
        retried++;
        continue;
      }
      served.set(target, (served.get(target) ?? 0) + 1);
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      res.flushHeaders();
      upstream.pipe(res);
      // The instance died mid-stream: end the client's response too (it sees the stream cut).
      upstream.once("error", () => res.destroy());
      res.once("close", () => upstream.destroy());
      return;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    retried: () => retried,
    close: async () => {
      clearInterval(health);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

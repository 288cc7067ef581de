/**
 * What a configured client adds in front of the conformance runner, which can set no headers: a
 * loopback proxy that injects the API key and forwards `/server/mcp` to a per-server endpoint and
 * `/project/mcp` to the project endpoint — there renaming as a client that read tools/list would
 * (calls and prompt gets name `{server}{sep}{name}`, listed names are shown without the prefix).
 * The Host header is passed on unchanged, so the gateway's DNS-rebinding guard still decides.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";

export interface ProxyTargets {
  gatewayUrl: string;
  key: string;
  serverPath: string;
  projectPath: string;
  /** `{server}{sep}`, the prefix of the project endpoint's names. */
  prefix: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function renameRequest(message: unknown, prefix: string): unknown {
  if (!isObject(message) || !isObject(message.params)) return message;
  const params = message.params;
  if ((message.method === "tools/call" || message.method === "prompts/get") && typeof params.name === "string") {
    return { ...message, params: { ...params, name: prefix + params.name } };
  }
  if (message.method === "completion/complete" && isObject(params.ref) && params.ref.type === "ref/prompt" && typeof params.ref.name === "string") {
    return { ...message, params: { ...params, ref: { ...params.ref, name: prefix + params.ref.name } } };
  }
  return message;
}

function renameResult(message: unknown, prefix: string): unknown {
  if (!isObject(message) || !isObject(message.result)) return message;
  const result = message.result;
  const strip = (items: unknown) => (Array.isArray(items) ? items.map((i: unknown) => (isObject(i) && typeof i.name === "string" && i.name.startsWith(prefix) ? { ...i, name: i.name.slice(prefix.length) } : i)) : items);
  if (Array.isArray(result.tools)) return { ...message, result: { ...result, tools: strip(result.tools) } };
  if (Array.isArray(result.prompts)) return { ...message, result: { ...result, prompts: strip(result.prompts) } };
  return message;
}

const mapMessages = (body: unknown, fn: (m: unknown) => unknown) => (Array.isArray(body) ? body.map(fn) : fn(body));

/** Rewrites the JSON of each `data:` line of an event stream (events are one line each here). */
function rewriteSse(line: string, prefix: string): string {
  if (!line.startsWith("data: ")) return line;
  try {
    return `data: ${JSON.stringify(mapMessages(JSON.parse(line.slice(6)), (m) => renameResult(m, prefix)))}`;
  } catch {
    return line;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startLoopbackProxy(port = 0): Promise<{ origin: string; route: (targets: ProxyTargets) => void; close: () => Promise<void> }> {
  let targets: ProxyTargets | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://proxy");
      const aggregate = url.pathname === "/project/mcp";
      if (!targets || (!aggregate && url.pathname !== "/server/mcp")) {
        res.writeHead(404).end();
        return;
      }
      const { prefix } = targets;
      let body = await readBody(req);
      if (aggregate && body.length > 0) {
        try {
          body = Buffer.from(JSON.stringify(mapMessages(JSON.parse(body.toString("utf8")), (m) => renameRequest(m, prefix))));
        } catch {
          // not JSON: the gateway answers it
        }
      }
      const target = new URL(aggregate ? targets.projectPath : targets.serverPath, targets.gatewayUrl);
      const headers = { ...req.headers, authorization: `Bearer ${targets.key}`, "content-length": String(body.length) };
      const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
        const type = String(answer.headers["content-type"] ?? "");
        if (!aggregate || (!type.includes("json") && !type.includes("event-stream"))) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const outHeaders = { ...answer.headers };
        delete outHeaders["content-length"];
        res.writeHead(answer.statusCode ?? 502, outHeaders);
        if (type.includes("json")) {
          void readBody(answer).then((raw) => {
            try {
              res.end(JSON.stringify(mapMessages(JSON.parse(raw.toString("utf8")), (m) => renameResult(m, prefix))));
            } catch {
              res.end(raw);
            }
          });
          return;
        }
        let pending = "";
        answer.setEncoding("utf8");
        answer.on("data", (chunk: string) => {
          pending += chunk;
          const lines = pending.split("\n");
          pending = lines.pop() ?? "";
          if (lines.length > 0) res.write(lines.map((l) => rewriteSse(l, prefix)).join("\n") + "\n");
        });
        answer.on("end", () => res.end(pending));
      });
      upstream.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      res.on("close", () => upstream.destroy());
      upstream.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    origin: `http://127.0.0.1:${bound}`,
    route: (t) => void (targets = t),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

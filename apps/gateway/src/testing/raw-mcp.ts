/** Hand-made MCP requests over plain fetch, for what SDK clients never send (bad input, stolen sessions). */

export const ACCEPT = "application/json, text/event-stream";

export function initializeMessage(id: number | string = 1, clientName = "raw-test"): Record<string, unknown> {
  return {
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: clientName, version: "1.0.0" } },
  };
}

export function headersFor(key: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", accept: ACCEPT, ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** The JSON-RPC messages of a response, whether it came as JSON or as an SSE stream. */
export async function messagesOf(res: Response): Promise<Record<string, unknown>[]> {
  const text = await res.text();
  if (!(res.headers.get("content-type") ?? "").includes("text/event-stream")) return text ? [JSON.parse(text) as Record<string, unknown>] : [];
  return text
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

/** Opens a Streamable HTTP session by hand; returns its id. */
export async function openSession(url: string, key: string, extraHeaders: Record<string, string> = {}): Promise<string> {
  const res = await postJson(url, initializeMessage(), headersFor(key, extraHeaders));
  if (res.status !== 200) throw new Error(`initialize answered ${res.status}: ${await res.text()}`);
  const id = res.headers.get("mcp-session-id");
  await res.text();
  if (!id) throw new Error("no session id");
  const ack = await postJson(url, { jsonrpc: "2.0", method: "notifications/initialized" }, headersFor(key, { "mcp-session-id": id, ...extraHeaders }));
  await ack.text();
  return id;
}

/** Reads a streamed response chunk by chunk as text; `next()` gives undefined once the stream ended. */
export function textStream(res: Response): { next: () => Promise<string | undefined>; cancel: () => Promise<void> } {
  if (!res.body) throw new Error("response has no body");
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  return {
    next: async () => {
      const chunk = await reader.read();
      return chunk.done ? undefined : decoder.decode(chunk.value);
    },
    cancel: () => reader.cancel(),
  };
}

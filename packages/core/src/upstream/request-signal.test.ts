/** Real loopback server and undici's fetch, as the guarded fetch uses them. */
import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkSignal, whenBodyDone } from "./request-signal";

let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/stream") {
      // Headers and a first event, then nothing: an event stream that stays open.
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      return;
    }
    if (req.url === "/empty") {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function get(path: string, shared: AbortSignal): Promise<Response> {
  const { signal, unlink } = linkSignal(shared);
  const response: unknown = await undiciFetch(`${base}${path}`, { signal: signal ?? null });
  return whenBodyDone(response as Response, unlink);
}

describe("linkSignal + whenBodyDone", () => {
  it("leaves no listener on the shared signal once each response has been read", async () => {
    const shared = new AbortController().signal;
    for (let i = 0; i < 200; i++) {
      const response = await get("/", shared);
      expect(await response.json()).toEqual({ ok: true });
    }
    const empty = await get("/empty", shared);
    expect(empty.status).toBe(204);
    expect(getEventListeners(shared, "abort")).toHaveLength(0);
  });

  it("still aborts an open event stream when the shared signal fires, then lets go of it", async () => {
    const connection = new AbortController();
    const response = await get("/stream", connection.signal);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: first\n\n");
    expect(getEventListeners(connection.signal, "abort")).toHaveLength(1);
    const pending = reader.read();
    connection.abort(new Error("connection closed"));
    await expect(pending).rejects.toBeDefined();
    expect(getEventListeners(connection.signal, "abort")).toHaveLength(0);
  });

  it("lets go when the reader cancels the body", async () => {
    const shared = new AbortController().signal;
    const response = await get("/stream", shared);
    await response.body?.cancel();
    expect(getEventListeners(shared, "abort")).toHaveLength(0);
  });
});

/**
 * The `fetch` handed to the SDK's SSE and Streamable HTTP client transports for one upstream. Built
 * on undici with an Agent whose connector asks the address guard where to connect, so every TCP
 * connection — first request, each redirect hop, each reconnect — is checked and goes to the address
 * that was checked. Redirects are followed here only hop by hop, each hop re-checked; the configured
 * headers go on every request to the upstream's origin and never to another origin.
 */
import { Agent, buildConnector, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from "undici";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { AppError } from "@switchyard/shared";
import type { AddressGuard } from "./address-guard";
import { linkSignal, whenBodyDone } from "./request-signal";

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that carry credentials: never forwarded to another origin on a redirect. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

export interface GuardedFetchOptions {
  guard: AddressGuard;
  /** The upstream's configured URL: its origin receives `headers`. */
  baseUrl: string;
  /** Headers from the server config, sent on every request to the upstream's origin. */
  headers: Record<string, string>;
  /** TCP/TLS connect timeout per connection. */
  connectTimeoutMs?: number;
}

export interface GuardedFetch {
  fetch: FetchLike;
  /** Closes the keep-alive connections of this upstream. */
  close(): Promise<void>;
}

type Body = string | Uint8Array | ArrayBuffer | null | undefined;

function replayableBody(body: unknown): Body {
  if (body === null || body === undefined || typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer) return body;
  throw new AppError("invalid_input", "upstream requests must have a string or byte body");
}

/** undici wraps connector errors in `TypeError: fetch failed`; the guard's own error is the useful one. */
function unwrap(e: unknown): unknown {
  const cause = e instanceof Error ? e.cause : undefined;
  return cause instanceof AppError ? cause : e;
}

export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  const { guard } = options;
  const baseOrigin = new URL(options.baseUrl).origin;
  const connectTcp = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  const agent = new Agent({
    connect: (opts, callback) => {
      const port = Number(opts.port) || (opts.protocol === "https:" ? 443 : 80);
      guard.resolveForConnect(opts.hostname, port).then(
        // `host` keeps the name, so TLS still verifies the certificate for it (SNI from `host`).
        (address) => connectTcp({ ...opts, hostname: address }, callback),
        (e: Error) => callback(e, null),
      );
    },
  });

  async function send(url: URL, method: string, headers: Headers, body: Body, shared: AbortSignal | null | undefined): Promise<Response> {
    guard.checkUrl(url);
    const { signal, unlink } = linkSignal(shared);
    const init: UndiciRequestInit = { method, headers: [...headers.entries()], body: body ?? null, redirect: "manual", signal: signal ?? null, dispatcher: agent };
    try {
      // undici's Response is the runtime's Response; typed through unknown because under the
      // console's DOM libs the two declarations differ.
      const response: unknown = await undiciFetch(url, init);
      return whenBodyDone(response as Response, unlink);
    } catch (e) {
      unlink();
      throw unwrap(e);
    }
  }

  function headersFor(url: URL, requested: Headers, firstOrigin: string): Headers {
    const h = new Headers(requested);
    if (url.origin !== firstOrigin) for (const name of CREDENTIAL_HEADERS) h.delete(name);
    if (url.origin === baseOrigin) for (const [name, value] of Object.entries(options.headers)) if (!h.has(name)) h.set(name, value);
    return h;
  }

  const guardedFetch: FetchLike = async (input, init) => {
    let url = new URL(input);
    const firstOrigin = url.origin;
    const requested = new Headers(init?.headers);
    let method = (init?.method ?? "GET").toUpperCase();
    let body = replayableBody(init?.body);
    const follow = (init?.redirect ?? "follow") === "follow";
    for (let hop = 0; ; hop++) {
      const response = await send(url, method, headersFor(url, requested, firstOrigin), body, init?.signal);
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
      // The SDK asks for `manual` and follows same-origin hops itself, each one through this fetch.
      if (!follow || !location) return response;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new AppError("unavailable", `upstream redirected more than ${MAX_REDIRECTS} times`);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
        requested.delete("content-type");
      }
      url = new URL(location, url);
    }
  };

  return {
    fetch: guardedFetch,
    close: () => agent.close(),
  };
}

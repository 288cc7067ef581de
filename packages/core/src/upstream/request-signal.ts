/**
 * The SDK's client transports pass one AbortSignal, alive as long as the connection, to every
 * request, and undici keeps an abort listener on it per request until that request is garbage
 * collected: under steady traffic the list grows past Node's warning limit and every add walks it.
 * Each request gets its own signal instead, linked to the shared one until its response has been
 * read, cancelled or has failed — so closing the connection still aborts whatever is in flight,
 * the long-lived event stream included.
 */
import { untilStreamEnds } from "@switchyard/shared";

export interface LinkedSignal {
  signal: AbortSignal | undefined;
  /** Detaches from the shared signal; safe to call more than once. */
  unlink: () => void;
}

export function linkSignal(shared: AbortSignal | null | undefined): LinkedSignal {
  if (!shared) return { signal: undefined, unlink: () => undefined };
  if (shared.aborted) return { signal: shared, unlink: () => undefined };
  const own = new AbortController();
  const forward = () => own.abort(shared.reason);
  shared.addEventListener("abort", forward, { once: true });
  return { signal: own.signal, unlink: () => shared.removeEventListener("abort", forward) };
}

/** Statuses whose Response must not have a body (the constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** `response` with `done` called once its body has ended, been cancelled or failed (at once when it has none). */
export function whenBodyDone(response: Response, done: () => void): Response {
  const source = response.body;
  if (!source || NULL_BODY_STATUSES.has(response.status)) {
    done();
    return response;
  }
  const body = untilStreamEnds(source as ReadableStream<Uint8Array>, done);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

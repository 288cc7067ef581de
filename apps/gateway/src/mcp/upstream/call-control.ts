/**
 * Per-call control of an upstream request: the server's timeout, the caller's cancellation and
 * progress routing, all done here rather than by the SDK's `timeout`/`onprogress` options:
 * - the SDK dispatches notifications a microtask after responses, so a final progress update that
 *   arrives in the same chunk as the result finds its handler already gone and is dropped; our
 *   router releases a token only after the current turn of the event loop;
 * - our timer restarts on progress, as the SDK's would; when it expires, or the caller cancels, the
 *   call is stopped: a direct request (direct-requests.ts) sends `notifications/cancelled` itself,
 *   an SDK request gets its signal aborted and the SDK sends it — for timeouts as for callers.
 */
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ProgressNotification } from "@modelcontextprotocol/sdk/types.js";

export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/** Largest delay setTimeout accepts: the SDK's own request timer must never fire before ours. */
const NEVER_MS = 2_147_483_647;

/** Hands out upstream progress tokens (unique per pool) and routes notifications back to their call. */
export class ProgressRouter {
  private next = 1;
  private readonly handlers = new Map<string | number, (update: ProgressUpdate) => void>();

  register(handler: (update: ProgressUpdate) => void): { token: number; release: () => void } {
    const token = this.next++;
    this.handlers.set(token, handler);
    // Released after this turn: notifications already read with the result still find their handler.
    return { token, release: () => void setImmediate(() => this.handlers.delete(token)) };
  }

  dispatch(params: ProgressNotification["params"]): void {
    const { progressToken, progress, total, message } = params;
    this.handlers.get(progressToken)?.({ progress, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}) });
  }

  get size(): number {
    return this.handlers.size;
  }
}

/**
 * The caller's progress token belongs to the downstream session: it never goes upstream; the pool's
 * own token goes in its place when the caller wants progress.
 */
export function shapeParams(params: Record<string, unknown> | undefined, token: number | undefined): Record<string, unknown> | undefined {
  const meta = params?._meta;
  const rest: Record<string, unknown> = typeof meta === "object" && meta !== null ? { ...(meta as Record<string, unknown>) } : {};
  delete rest.progressToken;
  if (token !== undefined) rest.progressToken = token;
  const { _meta: _old, ...others } = params ?? {};
  if (Object.keys(rest).length > 0) return { ...others, _meta: rest };
  return params === undefined ? undefined : others;
}

export interface CallControl {
  /** Options for the SDK's `client.request`: a signal (made on first use) and its timer out of the way. */
  readonly options: RequestOptions;
  /** What to do when the call must stop (the server's timeout or the caller's cancellation); runs at once if it already must. */
  onStop(stop: (reason: Error) => void): void;
  /** The request params as they go upstream (caller's progress token replaced). */
  shape(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined;
  /** Whether the server's timeout (not the caller) ended the call. */
  timedOut(): boolean;
  dispose(): void;
}

export function startCall(timeoutMs: number, parent: AbortSignal | undefined, onProgress: ((p: ProgressUpdate) => void) | undefined, router: ProgressRouter): CallControl {
  let stopped: Error | undefined;
  let stopper: ((reason: Error) => void) | undefined;
  let controller: AbortController | undefined;
  let expired = false;
  let done = false;
  const stop = (reason: Error) => {
    if (stopped) return;
    stopped = reason;
    stopper?.(reason);
    controller?.abort(reason);
  };
  const expire = () => {
    expired = true;
    stop(new Error(`timed out after ${timeoutMs} ms`));
  };
  let timer = setTimeout(expire, timeoutMs);
  const forward = () => stop(parent?.reason instanceof Error ? parent.reason : new Error("cancelled by the client"));
  if (parent?.aborted) forward();
  else parent?.addEventListener("abort", forward, { once: true });
  const progress = onProgress
    ? router.register((update) => {
        if (stopped) return;
        if (!done) {
          // A call that reports progress is alive: each update restarts its timeout.
          clearTimeout(timer);
          timer = setTimeout(expire, timeoutMs);
        }
        onProgress(update);
      })
    : undefined;
  return {
    get options(): RequestOptions {
      if (!controller) {
        controller = new AbortController();
        if (stopped) controller.abort(stopped);
      }
      return { signal: controller.signal, timeout: NEVER_MS };
    },
    onStop: (fn) => {
      stopper = fn;
      if (stopped) fn(stopped);
    },
    shape: (params) => shapeParams(params, progress?.token),
    timedOut: () => expired,
    dispose: () => {
      done = true;
      clearTimeout(timer);
      parent?.removeEventListener("abort", forward);
      progress?.release();
    },
  };
}

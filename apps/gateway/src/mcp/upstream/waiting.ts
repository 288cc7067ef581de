/** Small waits the pool needs: interruptible sleeps, giving up on shared work, checking a connection ended. */
import type { UpstreamConnection, UpstreamExit } from "@switchyard/core/upstream";
import { UpstreamError } from "../jsonrpc-errors";

/** Sleeps `ms`, or less when `signal` fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Waits for `promise` unless the caller gives up first (the work goes on for other waiters). */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new UpstreamError("cancelled", "call was cancelled"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new UpstreamError("cancelled", "call was cancelled"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/**
 * The exit of a connection that has ended, or undefined when it still runs. The SDK settles
 * `closed` before it rejects the pending requests, so a request failing because its connection
 * closed finds the exit here at once.
 */
export async function exitIfClosed(conn: UpstreamConnection): Promise<UpstreamExit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const stillOpen = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 100)));
  const exit = await Promise.race([conn.closed, stillOpen]);
  clearTimeout(timer);
  return exit;
}

/** Polls `check` until it gives something truthy (returned), or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5_000, what = "condition", intervalMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `waitFor` for checks that fail while something is down (an outage test's database or Redis): a throw counts as "not yet". */
export function waitThroughFailures<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  return waitFor(() => check().catch(() => undefined), timeoutMs, what, 200);
}

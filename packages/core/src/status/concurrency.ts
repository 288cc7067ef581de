/**
 * Runs `fn` over `items` with at most `limit` in flight. Items start in the given order, so
 * callers put the slowest first (longest-processing-time order shortens the whole run).
 * `fn` must not throw: a refresh reports a failed server as a result, not an exception.
 */
export async function forEachWithConcurrency<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T; // next < items.length was just checked
      await fn(item);
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
}

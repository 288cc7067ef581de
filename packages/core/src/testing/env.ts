/** The environment tests read: the only place test helpers look at process.env. */

/** Redis for queue tests (CI points it at the machine's Redis). */
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

/** PATH for processes tests spawn themselves (upstream servers, fixtures). */
export function testPath(): string {
  return process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin";
}

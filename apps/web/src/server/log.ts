/** One-line JSON logs on stderr, like the gateway's, so `switchyard start` can interleave them. */
type Level = "debug" | "info" | "warn" | "error";

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ t: new Date().toISOString(), level, svc: "web", msg, ...fields });
  process.stderr.write(`${line}\n`);
}

export function errorFields(e: unknown): Record<string, unknown> {
  return e instanceof Error ? { error: e.message, stack: e.stack } : { error: String(e) };
}

/** CLI output: one JSON object with --json, readable lines otherwise; errors on stderr. */
import { AppError } from "@switchyard/shared";
import { ZodError } from "zod";

export interface OutputOptions {
  json?: boolean;
}

export function printResult(opts: OutputOptions, value: Record<string, unknown>, human: string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value)}\n` : `${human}\n`);
}

/** System errors a user can fix, in one sentence each (the raw message names no remedy). */
function describeSystemError(e: NodeJS.ErrnoException): string | undefined {
  const where = e.path ? ` ${e.path}` : "";
  switch (e.code) {
    case "ENOSPC":
      return `the disk is full (writing${where}): free some space, or point SWITCHYARD_DATA_DIR at another disk`;
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return `permission denied on${where || " a file"}: make SWITCHYARD_DATA_DIR writable by this user, or point it elsewhere`;
    case "EADDRINUSE":
      return `${e.message}: another program uses this port; stop it or choose another port (GATEWAY_PORT, WEB_PORT)`;
    default:
      return undefined;
  }
}

export function describeError(e: unknown): string {
  const known = e instanceof Error && "code" in e ? describeSystemError(e as NodeJS.ErrnoException) : undefined;
  if (known) return known;
  if (e instanceof ZodError) return e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("\n");
  if (e instanceof AppError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Wraps a command action: prints errors to stderr and exits non-zero. `exit`: a long-running
 * command whose start failed exits at once, whatever connections it had begun to open.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>, { exit = false } = {}): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      process.stderr.write(`error: ${describeError(e)}\n`);
      process.exitCode = 1;
      if (exit) process.exit(1);
    }
  };
}

/** CLI output: one JSON object with --json, readable lines otherwise; errors on stderr. */
import { AppError } from "@switchyard/shared";
import { ZodError } from "zod";

export interface OutputOptions {
  json?: boolean;
}

export function printResult(opts: OutputOptions, value: Record<string, unknown>, human: string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value)}\n` : `${human}\n`);
}

export function describeError(e: unknown): string {
  if (e instanceof ZodError) return e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("\n");
  if (e instanceof AppError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Wraps a command action: prints errors to stderr and exits non-zero. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      process.stderr.write(`error: ${describeError(e)}\n`);
      process.exitCode = 1;
    }
  };
}

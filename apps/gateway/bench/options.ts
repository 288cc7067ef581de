/**
 * The bench scripts' command line: an unknown option, a missing value or a value that is not a
 * number in range stops the script with a one-line message naming the option (exit code 2),
 * instead of a stack trace or a run printing NaN figures.
 */
import { basename } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

const script = () => basename(process.argv[1] ?? "bench");

/** `parseArgs` (strict), with its errors as a message and exit code 2. */
export function benchArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    console.error(`${script()}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
}

export interface NumberOptionRange {
  /** Smallest value accepted (default 1). */
  min?: number;
  /** Whether fractions are accepted (default: whole numbers only). */
  fractions?: boolean;
}

export function numberOption(name: string, text: string | undefined, { min = 1, fractions = false }: NumberOptionRange = {}): number {
  const n = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(n) || n < min || (!fractions && !Number.isSafeInteger(n))) {
    console.error(`${script()}: --${name} takes ${fractions ? "a number" : "a whole number"} ≥ ${min}, not "${text ?? ""}"`);
    process.exit(2);
  }
  return n;
}

/** One of `choices`, else the same one-line message and exit code 2. */
export function choiceOption<C extends string>(name: string, text: string | undefined, choices: readonly C[]): C {
  const choice = choices.find((c) => c === text);
  if (choice === undefined) {
    console.error(`${script()}: --${name} takes ${choices.join(", ")}, not "${text ?? ""}"`);
    process.exit(2);
  }
  return choice;
}

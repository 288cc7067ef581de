/** Splits a child's stderr into bounded lines: a child that never writes a newline cannot grow memory. */
import type { Stream } from "node:stream";
import { StringDecoder } from "node:string_decoder";

export const MAX_STDERR_LINE = 2_000;

/** Calls `onLine` for each non-empty line (cut at `maxLine` characters, with `…` marking the cut). */
export function readStderrLines(stream: Stream, onLine: (line: string) => void, maxLine = MAX_STDERR_LINE): void {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  // While a line is over the limit, its rest is dropped up to the next newline.
  let skipping = false;
  const emit = (line: string) => {
    const trimmed = line.replace(/\r$/, "");
    if (trimmed.trim().length > 0) onLine(trimmed.length > maxLine ? `${trimmed.slice(0, maxLine)}…` : trimmed);
  };
  const take = (text: string) => {
    const parts = text.split("\n");
    const last = parts.pop() ?? "";
    for (const part of parts) {
      if (skipping) skipping = false;
      else emit(pending + part);
      pending = "";
    }
    if (skipping) return;
    pending += last;
    if (pending.length > maxLine) {
      emit(pending);
      pending = "";
      skipping = true;
    }
  };
  stream.on("data", (chunk: Buffer | string) => take(typeof chunk === "string" ? chunk : decoder.write(chunk)));
  stream.on("end", () => {
    take(decoder.end());
    if (!skipping && pending) emit(pending);
    pending = "";
  });
  // Errors on a child's stderr pipe are not ours to crash on.
  stream.on("error", () => undefined);
}

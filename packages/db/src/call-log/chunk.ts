/** What one ingest statement writes, and what one spill append holds: call rows and coalesced updates. */
import type { RateRow, SessionRow } from "./session-tracker";

export interface Chunk {
  /** JSON texts of tool_call_logs rows (prepare-call-row.ts). */
  calls: string[];
  sessions: SessionRow[];
  rates: RateRow[];
}

export const emptyChunk = (): Chunk => ({ calls: [], sessions: [], rates: [] });

export const chunkSize = (c: Chunk): number => c.calls.length + c.sessions.length + c.rates.length;

/** Two halves by item count, calls first: how a refused row is isolated. */
export function splitChunk(c: Chunk): [Chunk, Chunk] {
  const items = [
    ...c.calls.map((v) => ({ t: "c" as const, v })),
    ...c.sessions.map((v) => ({ t: "s" as const, v })),
    ...c.rates.map((v) => ({ t: "r" as const, v })),
  ];
  const half = Math.ceil(items.length / 2);
  const build = (part: typeof items): Chunk => ({
    calls: part.flatMap((i) => (i.t === "c" ? [i.v] : [])),
    sessions: part.flatMap((i) => (i.t === "s" ? [i.v] : [])),
    rates: part.flatMap((i) => (i.t === "r" ? [i.v] : [])),
  });
  return [build(items.slice(0, half)), build(items.slice(half))];
}

export function concatChunks(a: Chunk, b: Chunk): Chunk {
  return { calls: [...a.calls, ...b.calls], sessions: [...a.sessions, ...b.sessions], rates: [...a.rates, ...b.rates] };
}

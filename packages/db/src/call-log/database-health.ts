/**
 * The log writer's side of the database: writes a chunk with the ingest statement, tells a refused
 * row (dropped alone, the rest written) from an outage (the chunk handed back), and after an
 * outage spaces the next attempts with jittered exponential backoff.
 */
import { concatChunks, chunkSize, splitChunk, type Chunk } from "./chunk";
import { isRowError, runIngest } from "./ingest-statement";
import type { LogWriterOptions } from "./types";
import { errorText, type WriterReport } from "./writer-report";

const FIRST_RETRY_DELAY_MS = 200;

export class DatabaseHealth {
  private healthy = true;
  private failures = 0;
  private nextAttemptAt = 0;

  constructor(
    private readonly sql: LogWriterOptions["sql"],
    /** Longest wait between attempts while the database is down. */
    private readonly maxRetryDelayMs: number,
    private readonly report: WriterReport,
  ) {}

  /** Whether to try the database now: it answered last time, the backoff is over, or `force`. */
  usable(force: boolean): boolean {
    return force || this.healthy || Date.now() >= this.nextAttemptAt;
  }

  /** Writes a chunk; returns what is left unwritten because the database is unavailable. */
  async write(chunk: Chunk): Promise<Chunk | null> {
    if (chunkSize(chunk) === 0) return null;
    try {
      await runIngest(this.sql, {
        callsJson: `[${chunk.calls.join(",")}]`,
        sessionsJson: JSON.stringify(chunk.sessions),
        ratesJson: JSON.stringify(chunk.rates),
      });
      this.report.counters.written += chunk.calls.length;
      this.healthy = true;
      this.failures = 0;
      return null;
    } catch (e) {
      if (!isRowError(e)) {
        this.markDown(e);
        return chunk;
      }
      // A row the database refuses: halve until it is alone, drop it, write the rest.
      if (chunkSize(chunk) === 1) {
        this.report.drop(chunk.calls.length, `row refused by the database: ${errorText(e)}`);
        return null;
      }
      const [a, b] = splitChunk(chunk);
      const leftA = await this.write(a);
      if (leftA) return concatChunks(leftA, b);
      return this.write(b);
    }
  }

  private markDown(e: unknown): void {
    this.healthy = false;
    this.failures++;
    const base = Math.min(this.maxRetryDelayMs, FIRST_RETRY_DELAY_MS * 2 ** Math.min(this.failures - 1, 16));
    this.nextAttemptAt = Date.now() + base * (0.75 + Math.random() * 0.5);
    this.report.fail(e);
  }
}

/**
 * Spill and replay: a chunk the database cannot take goes to the spill file at once (one append,
 * one fsync); when the database answers again the file is written back batch by batch, oldest
 * first, each batch committed only once the database has it.
 */
import { chunkSize, type Chunk } from "./chunk";
import { MAX_CHUNK_BYTES } from "./call-chunks";
import { decodeSpillLines, encodeSpillLines, SpillFile } from "./spill-file";
import type { WriterReport } from "./writer-report";

export class SpillReplay {
  private readonly file: SpillFile;

  constructor(
    path: string,
    maxBytes: number,
    private readonly report: WriterReport,
  ) {
    this.file = new SpillFile(path, maxBytes);
  }

  /** Something waits on disk for the database. */
  get hasData(): boolean {
    return this.file.hasData;
  }

  get bytes(): number {
    return this.file.bytes;
  }

  /** Picks up a file left by an earlier process. */
  init(): Promise<void> {
    return this.file.init();
  }

  /** Waits for queued file operations (used on close). */
  idle(): Promise<void> {
    return this.file.idle();
  }

  /**
   * Appends a chunk, dropping (and counting) what the cap does not allow; returns the chunk when
   * the disk is unusable, for the caller to keep in memory.
   */
  async spill(chunk: Chunk): Promise<Chunk | null> {
    if (chunkSize(chunk) === 0) return null;
    try {
      const r = await this.file.append(encodeSpillLines(chunk));
      this.report.counters.spilled += r.calls;
      if (r.droppedCalls > 0) this.report.drop(r.droppedCalls, `spill file full (${this.file.maxBytes} bytes)`);
      if (r.droppedOther > 0) this.report.fail(new Error(`spill file full: ${r.droppedOther} session/rate-limit updates lost`));
      return null;
    } catch (e) {
      this.report.fail(e);
      return chunk;
    }
  }

  /**
   * Replays the file in batches of at most `maxBatch` lines through `write` (which hands back what
   * the database did not take); false when the database failed again (the next replay resumes
   * from the last committed batch).
   */
  async replay(maxBatch: number, write: (chunk: Chunk) => Promise<Chunk | null>): Promise<boolean> {
    try {
      // A few rounds: overflow spills may add a new file while the previous one is replayed.
      for (let round = 0; round < 3; round++) {
        if (!(await this.file.beginReplay())) return true;
        for (;;) {
          const batch = await this.file.readBatch(maxBatch, MAX_CHUNK_BYTES);
          if (!batch) break;
          const { chunk, unreadable } = decodeSpillLines(batch.lines);
          // A torn line (crash mid-append) is most likely a row: count it as one.
          if (unreadable > 0) this.report.drop(unreadable, "unreadable line in the spill file");
          if (await write(chunk)) return false;
          this.file.commit(batch.endOffset);
          this.report.counters.replayed += chunk.calls.length;
        }
      }
      return true;
    } catch (e) {
      // A file problem, not a database one: fresh rows can still be written.
      this.report.fail(e);
      return true;
    }
  }
}

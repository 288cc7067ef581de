/**
 * The log writer's memory: records waiting for the flush cycle, rows it could neither write nor
 * spill (retried first), and the count of everything taken but not yet settled, so `queued` in the
 * stats is every row not yet in the database, the spill file, or the dropped counter.
 */
import { CallChunks, MAX_CHUNK_BYTES, type PendingCall } from "./call-chunks";
import { emptyChunk, type Chunk } from "./chunk";
import { mergeRateRows, mergeSessionRows, type RateRow, type SessionRow, type SessionTracker } from "./session-tracker";

/** Rows scrubbed and serialized between two yields to the event loop (about 1 ms of work). */
const PREPARE_SLICE = 128;

export class CallQueue {
  private pending: PendingCall[] = [];
  /** Prepared rows that could be neither written nor spilled; retried next cycle. */
  private retry: Chunk = emptyChunk();
  /** Records taken from the queue (by the cycle or an overflow spill) and not yet prepared. */
  private readonly cursors = new Set<CallChunks>();
  /** Rows prepared from the queue and not yet settled (in the database, the spill file, or dropped). */
  private unsettled = 0;

  constructor(
    private readonly sessions: SessionTracker,
    private readonly maxBatch: number,
    private readonly maxQueue: number,
    /** A record that cannot become a row (dropped). */
    private readonly onInvalid: (reason: string) => void,
  ) {}

  /** Records waiting for the next take. */
  get length(): number {
    return this.pending.length;
  }

  /** Every row not yet settled. */
  get queued(): number {
    let unprepared = 0;
    for (const c of this.cursors) unprepared += c.remaining;
    return this.pending.length + this.retry.calls.length + unprepared + this.unsettled;
  }

  push(call: PendingCall): void {
    this.pending.push(call);
  }

  /**
   * Takes every waiting record (O(1); with the rows kept for retry when `withRetry`) and hands
   * `work` a cursor that prepares them chunk by chunk.
   */
  async take(withRetry: boolean, work: (cursor: CallChunks) => Promise<void>): Promise<void> {
    const cursor = new CallChunks(this.pending, withRetry ? this.retry.calls : [], this.onInvalid);
    this.pending = [];
    if (withRetry) this.retry = { ...this.retry, calls: [] };
    this.cursors.add(cursor);
    try {
      await work(cursor);
    } finally {
      this.cursors.delete(cursor);
    }
  }

  /** Session and rate-limit updates since the last take, merged with those kept for retry. */
  takeUpdates(): { sessions: SessionRow[]; rates: RateRow[] } {
    const fresh = this.sessions.drain();
    const updates = {
      sessions: mergeSessionRows([...this.retry.sessions, ...fresh.sessions]),
      rates: mergeRateRows([...this.retry.rates, ...fresh.rates]),
    };
    this.retry = { ...this.retry, sessions: [], rates: [] };
    return updates;
  }

  /** The next chunk (≤ maxBatch rows, ≤ MAX_CHUNK_BYTES), prepared slice by slice with yields in between. */
  async nextChunk(cursor: CallChunks): Promise<string[]> {
    const rows: string[] = [];
    let bytes = 0;
    while (rows.length < this.maxBatch && bytes < MAX_CHUNK_BYTES) {
      const slice = cursor.next(Math.min(PREPARE_SLICE, this.maxBatch - rows.length), MAX_CHUNK_BYTES - bytes);
      if (!slice) break;
      this.unsettled += slice.length;
      for (const r of slice) {
        rows.push(r);
        bytes += r.length;
      }
      if (cursor.remaining === 0) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return rows;
  }

  /** Everything the cursor has left, prepared. */
  async prepareRest(cursor: CallChunks): Promise<string[]> {
    const rows: string[] = [];
    while (cursor.remaining > 0) rows.push(...(await this.nextChunk(cursor)));
    return rows;
  }

  /** Prepared rows count as queued until `work` has put them in the database or the spill file. */
  async settled(rows: number, work: Promise<void> | (() => Promise<void>)): Promise<void> {
    try {
      await (typeof work === "function" ? work() : work);
    } finally {
      this.unsettled -= rows;
    }
  }

  /** Keeps what memory allows of a chunk that could go nowhere; returns the number of rows that did not fit. */
  keep(chunk: Chunk): number {
    const room = Math.max(0, this.maxQueue - this.retry.calls.length);
    this.retry.calls.push(...chunk.calls.slice(0, room));
    this.retry.sessions.push(...chunk.sessions);
    this.retry.rates.push(...chunk.rates);
    return Math.max(0, chunk.calls.length - room);
  }
}

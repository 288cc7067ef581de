/**
 * The gateway's log writer (docs/ARCHITECTURE.md Logging): tool call rows, client sessions and rate-limit
 * counts go to Postgres in batches, off the request path.
 *
 * - `recordCall` and the session methods only touch memory; scrubbing and serializing happen in
 *   the flush cycle, every `flushIntervalMs` or as soon as a batch is full.
 * - One batch = one statement (see ingest-statement.ts): rows, rollups from the rows actually
 *   inserted, session and rate-limit upserts, all or nothing; inserts are idempotent by row id.
 * - A batch the database cannot take goes to the spill file at once rather than waiting in memory,
 *   so a crash during an outage still loses at most one interval. The file is replayed, with
 *   backoff, when the database answers again, before anything newer is written.
 * - Memory holds at most `maxQueue` records before they are spilled, twice that before they are
 *   dropped; `dropped` counts every row lost for good.
 */
import { mergeRateRows, mergeSessionRows, RATE_LINE, SESSION_LINE, SessionTracker, type RateRow, type SessionRow } from "./session-tracker";
import { CALL_LINE } from "./prepare-call-row";
import { CallChunks, MAX_CHUNK_BYTES, type PendingCall } from "./call-chunks";
import { isRowError, runIngest } from "./ingest-statement";
import { SpillFile, type SpillLine } from "./spill-file";
import type {
  LogWriterOptions,
  LogWriterStats,
  ScrubContext,
  SessionPatch,
  SessionStart,
  ToolCallRecord,
} from "./types";

interface Chunk {
  /** JSON texts of tool_call_logs rows. */
  calls: string[];
  sessions: SessionRow[];
  rates: RateRow[];
}

const FIRST_RETRY_DELAY_MS = 200;
/** Rows scrubbed and serialized between two yields to the event loop (about 1 ms of work). */
const PREPARE_SLICE = 128;
/** Drops are reported through onError at most this often; the counter has them all. */
const DROP_REPORT_INTERVAL_MS = 1_000;

const chunkSize = (c: Chunk) => c.calls.length + c.sessions.length + c.rates.length;
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class LogWriter {
  private readonly sql: LogWriterOptions["sql"];
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly maxRetryDelayMs: number;
  private readonly onError: (e: unknown) => void;
  private readonly spill: SpillFile;
  private readonly sessions = new SessionTracker();

  private pending: PendingCall[] = [];
  /** Prepared rows that could be neither written nor spilled; retried next cycle. */
  private retry: Chunk = { calls: [], sessions: [], rates: [] };
  /** Records taken from the queue (by the cycle or an overflow spill) and not yet prepared. */
  private readonly cursors = new Set<CallChunks>();
  /** Rows prepared from the queue and not yet settled (in the database, the spill file, or dropped). */
  private unsettled = 0;
  private lastDropReport = 0;

  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private nextCycle: Promise<void> = Promise.resolve();
  private cycleQueued = false;
  private forceAttempt = false;
  private overflow: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  private healthy = true;
  private failures = 0;
  private nextAttemptAt = 0;
  private readonly counters = { written: 0, dropped: 0, spilled: 0, replayed: 0 };
  private lastError: string | undefined;

  constructor(opts: LogWriterOptions) {
    this.sql = opts.sql;
    this.flushIntervalMs = opts.flushIntervalMs ?? 100;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 2_000);
    this.maxQueue = Math.max(this.maxBatch, opts.maxQueue ?? 20_000);
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 5_000;
    this.onError = opts.onError ?? (() => undefined);
    this.spill = new SpillFile(opts.spillPath, opts.spillMaxBytes ?? 256 * 1024 * 1024);
  }

  /** Starts the flush timer and replays a spill file left by an earlier process. */
  start(): void {
    if (this.timer || this.closing) return;
    this.timer = setInterval(() => void this.kick(false), this.flushIntervalMs);
    this.timer.unref();
    this.spill.init().then(
      () => {
        if (this.spill.hasData) void this.kick(true);
      },
      (e: unknown) => this.fail(e),
    );
  }

  /** Queues one tool call row. Synchronous and O(1); never throws. */
  recordCall(rec: ToolCallRecord, scrub: ScrubContext): void {
    try {
      if (this.closing) return this.drop(1, "tool call recorded after the log writer was closed");
      if (this.pending.length >= 2 * this.maxQueue) {
        this.spillOverflow();
        return this.drop(1, "log queue full and the spill file not keeping up");
      }
      this.pending.push({ rec, scrub });
      if (this.pending.length >= this.maxQueue) this.spillOverflow();
      else if (this.pending.length >= this.maxBatch) void this.kick(false);
    } catch (e) {
      this.fail(e);
    }
  }

  sessionStarted(s: SessionStart): void {
    this.guard(() => this.sessions.started(s));
  }

  /** Coalesced per batch: last activity moves forward, `call` adds to calls_total / calls_failed. */
  sessionActivity(sessionId: string, at: Date, call?: { failed: boolean }): void {
    this.guard(() => this.sessions.activity(sessionId, at, call));
  }

  sessionUpdated(sessionId: string, patch: SessionPatch): void {
    this.guard(() => this.sessions.updated(sessionId, patch));
  }

  /** Records the end; later activity for the session is ignored. */
  sessionEnded(sessionId: string, at: Date, reason: string): void {
    this.guard(() => this.sessions.ended(sessionId, at, reason));
  }

  /** This instance stops serving the session, which goes on elsewhere: nothing is recorded, the writer forgets it. */
  sessionReleased(sessionId: string): void {
    this.guard(() => this.sessions.released(sessionId));
  }

  /** Counted per key per minute into rate_limited_calls. */
  rateLimited(projectId: string, apiKeyId: string, at: Date): void {
    this.guard(() => this.sessions.rateLimited(projectId, apiKeyId, at));
  }

  /** Writes everything queued now (replaying the spill file first); spills it if the database is down. Never rejects. */
  flush(): Promise<void> {
    return this.kick(true);
  }

  /** Final flush on shutdown: what the database does not take stays in the spill file for the next start. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      await this.overflow;
      await this.kick(true);
      await this.spill.idle().catch(() => undefined);
    })();
    return this.closing;
  }

  stats(): LogWriterStats {
    return {
      queued: this.pending.length + this.retry.calls.length + this.unprepared() + this.unsettled,
      ...this.counters,
      spillBytes: this.spill.bytes,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  // ---- flush cycle --------------------------------------------------------------------------

  /** Runs one cycle after the current one; kicks while a cycle is already queued share it. */
  private kick(force: boolean): Promise<void> {
    if (force) this.forceAttempt = true;
    if (!this.cycleQueued) {
      this.cycleQueued = true;
      this.nextCycle = this.chain.then(async () => {
        this.cycleQueued = false;
        try {
          await this.cycle();
        } catch (e) {
          this.fail(e);
        }
      });
      this.chain = this.nextCycle;
    }
    return this.nextCycle;
  }

  private async cycle(): Promise<void> {
    const force = this.forceAttempt;
    this.forceAttempt = false;
    let dbUsable = force || this.healthy || Date.now() >= this.nextAttemptAt;
    // Older rows first: replay what an outage left on disk before writing anything newer.
    if (dbUsable && this.spill.hasData) dbUsable = await this.replay();

    const cursor = this.takeQueue();
    let updates = this.takeUpdates();
    try {
      do {
        const calls = await this.nextChunk(cursor);
        const chunk: Chunk = { calls, ...updates };
        updates = { sessions: [], rates: [] };
        if (!dbUsable) {
          // Down: spill everything left in one append (one fsync) instead of chunk by chunk.
          const all = calls.concat(await this.prepareRest(cursor));
          await this.settled(all.length, this.spillChunk({ ...chunk, calls: all }));
          return;
        }
        await this.settled(calls.length, async () => {
          const left = await this.writeChunk(chunk);
          if (left) {
            dbUsable = false;
            await this.spillChunk(left);
          }
        });
      } while (cursor.remaining > 0);
    } finally {
      this.cursors.delete(cursor);
    }
  }

  /** The next chunk (≤ maxBatch rows, ≤ MAX_CHUNK_BYTES), prepared slice by slice with yields in between. */
  private async nextChunk(cursor: CallChunks): Promise<string[]> {
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

  private async prepareRest(cursor: CallChunks): Promise<string[]> {
    const rows: string[] = [];
    while (cursor.remaining > 0) rows.push(...(await this.nextChunk(cursor)));
    return rows;
  }

  /** Takes every queued record (O(1)); they are prepared chunk by chunk as they are written. */
  private takeQueue(): CallChunks {
    const cursor = new CallChunks(this.pending, this.retry.calls, (reason) => this.drop(1, reason));
    this.pending = [];
    this.retry = { calls: [], sessions: this.retry.sessions, rates: this.retry.rates };
    this.cursors.add(cursor);
    return cursor;
  }

  private unprepared(): number {
    let n = 0;
    for (const c of this.cursors) n += c.remaining;
    return n;
  }

  private takeUpdates(): { sessions: SessionRow[]; rates: RateRow[] } {
    const fresh = this.sessions.drain();
    const updates = {
      sessions: mergeSessionRows([...this.retry.sessions, ...fresh.sessions]),
      rates: mergeRateRows([...this.retry.rates, ...fresh.rates]),
    };
    this.retry = { ...this.retry, sessions: [], rates: [] };
    return updates;
  }

  /** Writes a chunk; returns what is left unwritten because the database is unavailable. */
  private async writeChunk(chunk: Chunk): Promise<Chunk | null> {
    if (chunkSize(chunk) === 0) return null;
    try {
      await runIngest(this.sql, {
        callsJson: `[${chunk.calls.join(",")}]`,
        sessionsJson: JSON.stringify(chunk.sessions),
        ratesJson: JSON.stringify(chunk.rates),
      });
      this.counters.written += chunk.calls.length;
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
        this.drop(chunk.calls.length, `row refused by the database: ${errorText(e)}`);
        return null;
      }
      const [a, b] = splitChunk(chunk);
      const leftA = await this.writeChunk(a);
      if (leftA) return concatChunks(leftA, b);
      return this.writeChunk(b);
    }
  }

  private markDown(e: unknown): void {
    this.healthy = false;
    this.failures++;
    const base = Math.min(this.maxRetryDelayMs, FIRST_RETRY_DELAY_MS * 2 ** Math.min(this.failures - 1, 16));
    this.nextAttemptAt = Date.now() + base * (0.75 + Math.random() * 0.5);
    this.fail(e);
  }

  // ---- spill file ---------------------------------------------------------------------------

  /** Memory past the bound goes to disk now, beside the running cycle. */
  private spillOverflow(): void {
    if (this.overflow) return;
    this.overflow = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        const cursor = new CallChunks(this.pending, [], (reason) => this.drop(1, reason));
        this.pending = [];
        this.cursors.add(cursor);
        const updates = this.takeUpdates();
        try {
          const calls = await this.prepareRest(cursor);
          await this.settled(calls.length, this.spillChunk({ calls, ...updates }));
        } finally {
          this.cursors.delete(cursor);
        }
      })
      .catch((e: unknown) => this.fail(e))
      .finally(() => {
        this.overflow = null;
      });
  }

  private async spillChunk(chunk: Chunk): Promise<void> {
    if (chunkSize(chunk) === 0) return;
    const lines: SpillLine[] = [
      ...chunk.sessions.map((s) => ({ text: JSON.stringify(s), call: false })),
      ...chunk.rates.map((r) => ({ text: JSON.stringify(r), call: false })),
      ...chunk.calls.map((text) => ({ text, call: true })),
    ];
    try {
      const r = await this.spill.append(lines);
      this.counters.spilled += r.calls;
      if (r.droppedCalls > 0) this.drop(r.droppedCalls, `spill file full (${this.spill.maxBytes} bytes)`);
      if (r.droppedOther > 0) this.fail(new Error(`spill file full: ${r.droppedOther} session/rate-limit updates lost`));
    } catch (e) {
      // Disk unusable: keep what memory allows for the next cycle.
      this.fail(e);
      const room = Math.max(0, this.maxQueue - this.retry.calls.length);
      this.retry.calls.push(...chunk.calls.slice(0, room));
      this.retry.sessions.push(...chunk.sessions);
      this.retry.rates.push(...chunk.rates);
      if (chunk.calls.length > room) this.drop(chunk.calls.length - room, "spill file unusable and memory bound reached");
    }
  }

  /** Replays the spill file in batches; false when the database failed again (resumes from the last committed batch). */
  private async replay(): Promise<boolean> {
    try {
      // A few rounds: overflow spills may add a new file while the previous one is replayed.
      for (let round = 0; round < 3; round++) {
        if (!(await this.spill.beginReplay())) return true;
        for (;;) {
          const batch = await this.spill.readBatch(this.maxBatch, MAX_CHUNK_BYTES);
          if (!batch) break;
          const chunk = this.parseSpillLines(batch.lines);
          if (await this.writeChunk(chunk)) return false;
          this.spill.commit(batch.endOffset);
          this.counters.replayed += chunk.calls.length;
        }
      }
      return true;
    } catch (e) {
      // A file problem, not a database one: fresh rows can still be written.
      this.fail(e);
      return true;
    }
  }

  private parseSpillLines(lines: string[]): Chunk {
    const calls: string[] = [];
    const sessions: SessionRow[] = [];
    const rates: RateRow[] = [];
    let unreadable = 0;
    for (const line of lines) {
      let kind: unknown;
      try {
        kind = (JSON.parse(line) as { k?: unknown }).k;
      } catch {
        kind = undefined;
      }
      if (kind === CALL_LINE) calls.push(line);
      else if (kind === SESSION_LINE) sessions.push(JSON.parse(line) as SessionRow);
      else if (kind === RATE_LINE) rates.push(JSON.parse(line) as RateRow);
      else unreadable++;
    }
    // A torn line (crash mid-append) is most likely a row: count it as one.
    if (unreadable > 0) this.drop(unreadable, "unreadable line in the spill file");
    return { calls, sessions: mergeSessionRows(sessions), rates: mergeRateRows(rates) };
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  private drop(rows: number, reason: string): void {
    this.counters.dropped += rows;
    this.lastError = reason;
    // No Error per dropped call under overload: one report per interval, the counter has the rest.
    const now = Date.now();
    if (now - this.lastDropReport < DROP_REPORT_INTERVAL_MS) return;
    this.lastDropReport = now;
    this.report(new Error(`log rows dropped: ${reason}`));
  }

  private fail(e: unknown): void {
    this.lastError = errorText(e);
    this.report(e);
  }

  private report(e: unknown): void {
    try {
      this.onError(e);
    } catch {
      // The callback is the caller's; it must not break the writer.
    }
  }

  /** Prepared rows count as queued until `work` has put them in the database or the spill file. */
  private async settled(rows: number, work: Promise<void> | (() => Promise<void>)): Promise<void> {
    try {
      await (typeof work === "function" ? work() : work);
    } finally {
      this.unsettled -= rows;
    }
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.fail(e);
    }
  }
}

function splitChunk(c: Chunk): [Chunk, Chunk] {
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

function concatChunks(a: Chunk, b: Chunk): Chunk {
  return { calls: [...a.calls, ...b.calls], sessions: [...a.sessions, ...b.sessions], rates: [...a.rates, ...b.rates] };
}

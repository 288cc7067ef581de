/**
 * The gateway's log writer (docs/ARCHITECTURE.md, Call log): tool call rows, client sessions and
 * rate-limit counts go to Postgres in batches, off the request path.
 *
 * - `recordCall` and the session methods only touch memory (call-queue.ts, session-tracker.ts);
 *   scrubbing and serializing happen in the flush cycle, every `flushIntervalMs` or as soon as a
 *   batch is full.
 * - One batch = one statement (ingest-statement.ts): rows, rollups from the rows actually inserted,
 *   session and rate-limit upserts, all or nothing; inserts are idempotent by row id. Up to
 *   `writesInFlight` batches (default 2) are written at once; every upsert is additive and ordered
 *   by key, so two statements commute as two gateways' do.
 * - A batch the database cannot take (database-health.ts) goes to the spill file at once rather
 *   than waiting in memory, so a crash during an outage still loses at most one interval. The file
 *   is replayed (spill-replay.ts), with backoff, when the database answers again, before anything
 *   newer is written.
 * - Memory holds at most `maxQueue` records before they are spilled, twice that before they are
 *   dropped; `dropped` counts every row lost for good.
 */
import type { CallChunks } from "./call-chunks";
import { CallQueue } from "./call-queue";
import type { Chunk } from "./chunk";
import { CycleChain } from "./cycle-chain";
import { DatabaseHealth } from "./database-health";
import { InFlight } from "./in-flight";
import { SessionTracker } from "./session-tracker";
import { SpillReplay } from "./spill-replay";
import type { LogWriterOptions, LogWriterStats, ScrubContext, SessionPatch, SessionStart, ToolCallRecord } from "./types";
import { WriterReport } from "./writer-report";

export class LogWriter {
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly writesInFlight: number;
  private readonly report: WriterReport;
  private readonly sessions = new SessionTracker();
  private readonly queue: CallQueue;
  private readonly database: DatabaseHealth;
  private readonly spill: SpillReplay;
  private readonly cycles: CycleChain;

  private timer: NodeJS.Timeout | undefined;
  private overflow: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  constructor(opts: LogWriterOptions) {
    this.flushIntervalMs = opts.flushIntervalMs ?? 100;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 2_000);
    this.maxQueue = Math.max(this.maxBatch, opts.maxQueue ?? 20_000);
    const inFlight = opts.writesInFlight;
    this.writesInFlight = typeof inFlight === "number" && Number.isSafeInteger(inFlight) ? Math.max(1, inFlight) : 2;
    this.report = new WriterReport(opts.onError ?? (() => undefined));
    this.queue = new CallQueue(this.sessions, this.maxBatch, this.maxQueue, (reason) => this.report.drop(1, reason));
    this.database = new DatabaseHealth(opts.sql, opts.maxRetryDelayMs ?? 5_000, this.report);
    this.spill = new SpillReplay(opts.spillPath, opts.spillMaxBytes ?? 256 * 1024 * 1024, this.report);
    this.cycles = new CycleChain(
      (force) => this.cycle(force),
      (e) => this.report.fail(e),
    );
  }

  /** Starts the flush timer and replays a spill file left by an earlier process. */
  start(): void {
    if (this.timer || this.closing) return;
    this.timer = setInterval(() => void this.cycles.kick(false), this.flushIntervalMs);
    this.timer.unref();
    this.spill.init().then(
      () => {
        if (this.spill.hasData) void this.cycles.kick(true);
      },
      (e: unknown) => this.report.fail(e),
    );
  }

  /** Queues one tool call row. Synchronous and O(1); never throws. */
  recordCall(rec: ToolCallRecord, scrub: ScrubContext): void {
    try {
      if (this.closing) return this.report.drop(1, "tool call recorded after the log writer was closed");
      if (this.queue.length >= 2 * this.maxQueue) {
        this.spillOverflow();
        return this.report.drop(1, "log queue full and the spill file not keeping up");
      }
      this.queue.push({ rec, scrub });
      if (this.queue.length >= this.maxQueue) this.spillOverflow();
      else if (this.queue.length >= this.maxBatch) void this.cycles.kick(false);
    } catch (e) {
      this.report.fail(e);
    }
  }

  sessionStarted(s: SessionStart): void {
    this.report.guard(() => this.sessions.started(s));
  }

  /** Coalesced per batch: last activity moves forward, `call` adds to calls_total / calls_failed. */
  sessionActivity(sessionId: string, at: Date, call?: { failed: boolean }): void {
    this.report.guard(() => this.sessions.activity(sessionId, at, call));
  }

  sessionUpdated(sessionId: string, patch: SessionPatch): void {
    this.report.guard(() => this.sessions.updated(sessionId, patch));
  }

  /** Records the end; later activity for the session is ignored. */
  sessionEnded(sessionId: string, at: Date, reason: string): void {
    this.report.guard(() => this.sessions.ended(sessionId, at, reason));
  }

  /** This instance stops serving the session, which goes on elsewhere: nothing is recorded, the writer forgets it. */
  sessionReleased(sessionId: string): void {
    this.report.guard(() => this.sessions.released(sessionId));
  }

  /** Counted per key per minute into rate_limited_calls. */
  rateLimited(projectId: string, apiKeyId: string, at: Date): void {
    this.report.guard(() => this.sessions.rateLimited(projectId, apiKeyId, at));
  }

  /** Writes everything queued now (replaying the spill file first); spills it if the database is down. Never rejects. */
  flush(): Promise<void> {
    return this.cycles.kick(true);
  }

  /** Final flush on shutdown: what the database does not take stays in the spill file for the next start. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      await this.overflow;
      await this.cycles.kick(true);
      await this.spill.idle().catch(() => undefined);
    })();
    return this.closing;
  }

  stats(): LogWriterStats {
    const { lastError } = this.report;
    return {
      queued: this.queue.queued,
      ...this.report.counters,
      spillBytes: this.spill.bytes,
      ...(lastError === undefined ? {} : { lastError }),
    };
  }

  /**
   * One flush: the spill file first (older rows first), then everything queued, chunk by chunk, with
   * up to `writesInFlight` statements running while the next chunk is prepared: the next batch's
   * scrubbing overlaps the database's work, and a second statement uses a second core of the
   * database server (docs/ARCHITECTURE.md, "How a log row flows").
   */
  private async cycle(force: boolean): Promise<void> {
    let dbUsable = this.database.usable(force);
    if (dbUsable && this.spill.hasData) dbUsable = await this.spill.replay(this.maxBatch, (chunk) => this.database.write(chunk));
    let updates = this.queue.takeUpdates();
    await this.queue.take(true, async (cursor) => {
      const writes = new InFlight();
      try {
        do {
          const calls = await this.queue.nextChunk(cursor);
          const chunk: Chunk = { calls, ...updates };
          updates = { sessions: [], rates: [] };
          if (!dbUsable) {
            // Down: spill everything left in one append (one fsync) instead of chunk by chunk.
            await this.spillRest(cursor, chunk);
            return;
          }
          writes.add(
            this.queue.settled(calls.length, async () => {
              const left = await this.database.write(chunk);
              if (left) {
                dbUsable = false;
                await this.spillChunk(left);
              }
            }),
          );
          if (writes.size >= this.writesInFlight) await writes.one();
        } while (cursor.remaining > 0);
      } finally {
        await writes.all();
      }
    });
  }

  /** Memory past the bound goes to disk now, beside the running cycle. */
  private spillOverflow(): void {
    if (this.overflow) return;
    this.overflow = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.queue.take(false, (cursor) => this.spillRest(cursor, { calls: [], ...this.queue.takeUpdates() })))
      .catch((e: unknown) => this.report.fail(e))
      .finally(() => {
        this.overflow = null;
      });
  }

  /** Spills `chunk` together with everything the cursor has left, in one append. */
  private async spillRest(cursor: CallChunks, chunk: Chunk): Promise<void> {
    const calls = chunk.calls.concat(await this.queue.prepareRest(cursor));
    await this.queue.settled(calls.length, this.spillChunk({ ...chunk, calls }));
  }

  private async spillChunk(chunk: Chunk): Promise<void> {
    const unspilled = await this.spill.spill(chunk);
    if (!unspilled) return;
    // Disk unusable: keep what memory allows for the next cycle.
    const lost = this.queue.keep(unspilled);
    if (lost > 0) this.report.drop(lost, "spill file unusable and memory bound reached");
  }
}

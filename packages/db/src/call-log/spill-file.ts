/**
 * Append-only NDJSON file holding what the database could not take yet, capped in bytes.
 *
 * Replay never reads the file being appended to: `beginReplay` renames it to `<path>.replaying`
 * (new spills then start a fresh file), the replayer reads that one batch by batch and deletes it
 * once every batch is committed. A crash mid-replay leaves `.replaying` behind and the next process
 * replays it from the start, which is safe for rows (inserts are idempotent).
 * Every mutation runs through one queue, so an append never races a rename or a delete.
 *
 * The line format is this module's alone (`encodeSpillLines` / `decodeSpillLines`): one JSON
 * object per line whose first key `k` says what it is — `c` a tool_call_logs row, `s` a
 * client_sessions upsert, `r` a rate_limited_calls increment — followed by the row's columns.
 */
import { mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { Chunk } from "./chunk";
import { mergeRateRows, mergeSessionRows, type RateRow, type SessionRow } from "./session-tracker";

export interface SpillLine {
  /** One JSON document, without newline. */
  text: string;
  /** A tool call row (counted in spilled/dropped), as opposed to a session or rate-limit update. */
  call: boolean;
}

export interface AppendResult {
  calls: number;
  droppedCalls: number;
  droppedOther: number;
}

export interface ReplayBatch {
  lines: string[];
  /** Offset in the replaying file just past these lines, for `commit`. */
  endOffset: number;
}

const READ_CHUNK = 1 << 20;

/** A call row is a JSON object: its line is the same text with the kind spliced in first (no re-serializing). */
const CALL_PREFIX = '{"k":"c",';
const SESSION_LINE = "s";
const RATE_LINE = "r";

/** The lines of a chunk, session and rate lines first (small and not re-derivable, see `append`). */
export function encodeSpillLines(chunk: Chunk): SpillLine[] {
  return [
    ...chunk.sessions.map((row) => ({ text: JSON.stringify({ k: SESSION_LINE, ...row }), call: false })),
    ...chunk.rates.map((row) => ({ text: JSON.stringify({ k: RATE_LINE, ...row }), call: false })),
    ...chunk.calls.map((row) => ({ text: CALL_PREFIX + row.slice(1), call: true })),
  ];
}

/** The chunk read back from lines (updates of a key merged); `unreadable` counts lines torn or not ours. */
export function decodeSpillLines(lines: readonly string[]): { chunk: Chunk; unreadable: number } {
  const calls: string[] = [];
  const sessions: SessionRow[] = [];
  const rates: RateRow[] = [];
  let unreadable = 0;
  for (const line of lines) {
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    const kind = parsed?.k;
    if (kind === "c" && line.startsWith(CALL_PREFIX)) {
      calls.push(`{${line.slice(CALL_PREFIX.length)}`);
    } else if (parsed && (kind === SESSION_LINE || kind === RATE_LINE)) {
      const { k: _kind, ...row } = parsed;
      if (kind === SESSION_LINE) sessions.push(row as SessionRow);
      else rates.push(row as RateRow);
    } else {
      unreadable++;
    }
  }
  return { chunk: { calls, sessions: mergeSessionRows(sessions), rates: mergeRateRows(rates) }, unreadable };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw e;
  }
}

export class SpillFile {
  readonly replayingPath: string;
  private activeBytes = 0;
  private replayingBytes = 0;
  private replayOffset = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private initialized = false;

  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {
    this.replayingPath = `${path}.replaying`;
  }

  /** Bytes held on disk by both files. */
  get bytes(): number {
    return this.activeBytes + this.replayingBytes;
  }

  /** True when something is waiting to be replayed (known after the first operation). */
  get hasData(): boolean {
    return this.activeBytes > 0 || this.replayingBytes > this.replayOffset;
  }

  /** Reads the sizes of files left by an earlier process and repairs a torn last line. */
  init(): Promise<void> {
    return this.serial(() => this.ensureInit());
  }

  /** Appends lines up to the cap (session and rate lines should come first: they are small and not re-derivable). */
  append(lines: readonly SpillLine[]): Promise<AppendResult> {
    return this.serial(async () => {
      await this.ensureInit();
      const result: AppendResult = { calls: 0, droppedCalls: 0, droppedOther: 0 };
      const kept: string[] = [];
      let bytes = this.bytes;
      for (const line of lines) {
        const size = Buffer.byteLength(line.text) + 1;
        if (bytes + size > this.maxBytes) {
          if (line.call) result.droppedCalls++;
          else result.droppedOther++;
          continue;
        }
        bytes += size;
        kept.push(line.text);
        if (line.call) result.calls++;
      }
      if (kept.length === 0) return result;
      const data = Buffer.from(`${kept.join("\n")}\n`);
      const fh = await open(this.path, "a", 0o600);
      try {
        await fh.write(data);
        // Survives power loss too, not only a killed process: spills happen at most once per flush interval.
        await fh.datasync();
      } finally {
        await fh.close();
      }
      this.activeBytes += data.length;
      return result;
    });
  }

  /** Moves the active file aside for replay unless a replay is already under way; false when there is nothing to replay. */
  beginReplay(): Promise<boolean> {
    return this.serial(async () => {
      await this.ensureInit();
      if (this.replayingBytes > 0) return true;
      if (this.activeBytes === 0) return false;
      await rename(this.path, this.replayingPath);
      this.replayingBytes = this.activeBytes;
      this.replayOffset = 0;
      this.activeBytes = 0;
      return true;
    });
  }

  /**
   * The next lines of the replaying file after the last committed offset, at most `maxLines` and
   * about `maxBytes`; null (and the file removed) once all of it has been committed.
   * A last line without newline (torn by a crash) is returned as is: it fails to parse.
   */
  readBatch(maxLines: number, maxBytes: number): Promise<ReplayBatch | null> {
    return this.serial(async () => {
      if (this.replayingBytes === 0) return null;
      if (this.replayOffset >= this.replayingBytes) {
        await unlink(this.replayingPath).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== "ENOENT") throw e;
        });
        this.replayingBytes = 0;
        this.replayOffset = 0;
        return null;
      }
      const fh = await open(this.replayingPath, "r");
      try {
        let want = Math.max(READ_CHUNK, maxBytes);
        for (;;) {
          const len = Math.min(want, this.replayingBytes - this.replayOffset);
          const buf = Buffer.alloc(len);
          const { bytesRead } = await fh.read(buf, 0, len, this.replayOffset);
          const atEof = this.replayOffset + bytesRead >= this.replayingBytes;
          const lines: string[] = [];
          let pos = 0;
          while (lines.length < maxLines && pos < bytesRead) {
            const nl = buf.indexOf(10, pos);
            if (nl === -1 || nl >= bytesRead) break;
            lines.push(buf.toString("utf8", pos, nl));
            pos = nl + 1;
          }
          if (lines.length > 0) return { lines, endOffset: this.replayOffset + pos };
          if (atEof) return { lines: [buf.toString("utf8", 0, bytesRead)], endOffset: this.replayingBytes };
          want *= 2; // one line longer than the chunk
        }
      } finally {
        await fh.close();
      }
    });
  }

  /** Marks the lines up to `offset` as written to the database. */
  commit(offset: number): void {
    this.replayOffset = Math.max(this.replayOffset, offset);
  }

  /** Waits for queued file operations (used on close). */
  idle(): Promise<void> {
    return this.serial(() => Promise.resolve());
  }

  private async ensureInit(): Promise<void> {
    if (this.initialized) return;
    await mkdir(dirname(this.path), { recursive: true });
    this.activeBytes = await sizeOf(this.path);
    this.replayingBytes = await sizeOf(this.replayingPath);
    if (this.activeBytes > 0) {
      // A crash mid-append leaves a partial line: end it so the next line is not glued to it.
      const fh = await open(this.path, "r+");
      try {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, this.activeBytes - 1);
        if (last[0] !== 10) {
          await fh.write("\n", this.activeBytes);
          this.activeBytes += 1;
        }
      } finally {
        await fh.close();
      }
    }
    this.initialized = true;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

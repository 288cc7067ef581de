/**
 * Walks the records taken from the queue, scrubbing and serializing them only when their chunk is
 * about to be written, a slice at a time, so a large backlog never blocks the event loop in one piece.
 */
import { prepareCallRow } from "./prepare-call-row";
import type { ScrubContext, ToolCallRecord } from "./types";

export interface PendingCall {
  rec: ToolCallRecord;
  scrub: ScrubContext;
}

/** Upper bound of one statement's call JSON, whatever the payload sizes. */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

export class CallChunks {
  private rawIndex = 0;
  private preparedIndex = 0;

  constructor(
    private readonly raw: readonly PendingCall[],
    /** Rows prepared earlier (kept in memory after a failed spill), taken first. */
    private readonly prepared: readonly string[],
    private readonly onInvalid: (reason: string) => void,
  ) {}

  /** Records not yet handed out. */
  get remaining(): number {
    return this.raw.length - this.rawIndex + this.prepared.length - this.preparedIndex;
  }

  /**
   * Up to `maxRows` row texts (fewer when `maxBytes` is reached, none when every record of the
   * slice was invalid), or null when everything has been handed out.
   */
  next(maxRows: number, maxBytes: number = MAX_CHUNK_BYTES): string[] | null {
    if (this.remaining === 0) return null;
    const chunk: string[] = [];
    let bytes = 0;
    while (chunk.length < maxRows && bytes < maxBytes && this.preparedIndex < this.prepared.length) {
      const json = this.prepared[this.preparedIndex++] ?? "";
      chunk.push(json);
      bytes += json.length;
    }
    while (chunk.length < maxRows && bytes < maxBytes && this.rawIndex < this.raw.length) {
      const p = this.raw[this.rawIndex++];
      if (!p) continue;
      const row = prepareCallRow(p.rec, p.scrub);
      if (!row.ok) {
        this.onInvalid(row.reason);
        continue;
      }
      chunk.push(row.json);
      bytes += row.json.length;
    }
    return chunk;
  }
}

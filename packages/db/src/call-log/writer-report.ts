/** The log writer's counters and error reports, shared by its parts; never throws into them. */

/** Drops are reported through onError at most this often; the counter has them all. */
const DROP_REPORT_INTERVAL_MS = 1_000;

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class WriterReport {
  readonly counters = { written: 0, dropped: 0, spilled: 0, replayed: 0 };
  lastError: string | undefined;
  private lastDropReport = 0;

  constructor(private readonly onError: (e: unknown) => void) {}

  /** Rows lost for good. */
  drop(rows: number, reason: string): void {
    this.counters.dropped += rows;
    this.lastError = reason;
    // No Error per dropped call under overload: one report per interval, the counter has the rest.
    const now = Date.now();
    if (now - this.lastDropReport < DROP_REPORT_INTERVAL_MS) return;
    this.lastDropReport = now;
    this.report(new Error(`log rows dropped: ${reason}`));
  }

  fail(e: unknown): void {
    this.lastError = errorText(e);
    this.report(e);
  }

  /** Runs `fn`, reporting instead of throwing. */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.fail(e);
    }
  }

  private report(e: unknown): void {
    try {
      this.onError(e);
    } catch {
      // The callback is the caller's; it must not break the writer.
    }
  }
}

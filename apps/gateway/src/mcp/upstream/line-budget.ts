/**
 * Token bucket for child stderr lines written as server events: a burst, then a steady trickle; a
 * chatty or looping child cannot flood `server_events`. Dropped lines are counted and reported with
 * the next line that gets through.
 */
export class LineBudget {
  private tokens: number;
  private last: number;
  private dropped = 0;

  constructor(
    private readonly burst = 50,
    private readonly perSecond = 2,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Returns the number of lines dropped since the previous admitted one, or null when this line is dropped. */
  take(): number | null {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) {
      this.dropped++;
      return null;
    }
    this.tokens--;
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }
}

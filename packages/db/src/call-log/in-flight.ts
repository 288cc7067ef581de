/**
 * The writes a flush cycle has started and not yet awaited: `one()` waits for any of them, `all()`
 * for every one; a rejection is kept and rethrown by `all()` once nothing is left running, so no
 * write is ever abandoned half-way.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  get size(): number {
    return this.running.size;
  }

  add(work: Promise<void>): void {
    const tracked: Promise<void> = work.then(
      () => {
        this.running.delete(tracked);
      },
      (error: unknown) => {
        this.running.delete(tracked);
        this.failure ??= { error };
      },
    );
    this.running.add(tracked);
  }

  /** Resolves when one of the running writes has finished (at once when none runs). */
  async one(): Promise<void> {
    if (this.running.size > 0) await Promise.race(this.running);
  }

  /** Resolves when every write has finished; rejects with the first failure, if any. */
  async all(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
    if (this.failure) throw this.failure.error;
  }
}

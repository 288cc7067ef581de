/** Runs the flush cycle one at a time: kicks while a run is queued share it, and a forced kick forces that run. */
export class CycleChain {
  private chain: Promise<void> = Promise.resolve();
  private next: Promise<void> = Promise.resolve();
  private queued = false;
  private force = false;

  constructor(
    private readonly cycle: (force: boolean) => Promise<void>,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Runs one cycle after the current one; resolves when it has run. Never rejects. */
  kick(force: boolean): Promise<void> {
    if (force) this.force = true;
    if (!this.queued) {
      this.queued = true;
      this.next = this.chain.then(async () => {
        this.queued = false;
        const forced = this.force;
        this.force = false;
        try {
          await this.cycle(forced);
        } catch (e) {
          this.onError(e);
        }
      });
      this.chain = this.next;
    }
    return this.next;
  }
}
